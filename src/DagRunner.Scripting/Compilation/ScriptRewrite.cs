using Microsoft.CodeAnalysis.Text;

namespace DagRunner.Scripting.Compilation;

/// <summary>A script's text after the host's rewrite, and the edits that map its columns back.</summary>
internal sealed class ScriptRewrite
{
    public ScriptRewrite(SourceText original, IReadOnlyList<TextChange> sortedChanges)
    {
        Rewritten = original.WithChanges(sortedChanges);
        Edits = [.. sortedChanges.Select(change =>
        {
            var position = original.Lines.GetLinePosition(change.Span.Start);
            return new ColumnEdit(position.Line + 1, position.Character + 1, change.Span.Length, change.NewText?.Length ?? 0);
        })];
    }

    public SourceText Rewritten { get; }

    public List<ColumnEdit> Edits { get; }
}
