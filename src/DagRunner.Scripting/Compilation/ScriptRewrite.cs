using Microsoft.CodeAnalysis.Text;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// A script's text after the host's rewrite, with the inserted spans, so compiler positions in
/// the rewritten text can be mapped back to the text the author wrote.
/// </summary>
internal sealed class ScriptRewrite
{
    // Changes sorted by original position; none spans or inserts a newline, so lines never move.
    private readonly TextChange[] _changes;

    public ScriptRewrite(SourceText original, SourceText rewritten, IReadOnlyList<TextChange> sortedChanges)
    {
        Original = original;
        Rewritten = rewritten;
        _changes = [.. sortedChanges];
    }

    public SourceText Original { get; }

    public SourceText Rewritten { get; }

    /// <summary>The position in the original text of position <paramref name="rewritten"/> in the rewritten text.</summary>
    public int ToOriginal(int rewritten)
    {
        var shift = 0;
        foreach (var change in _changes)
        {
            var start = change.Span.Start + shift;
            if (rewritten < start)
            {
                break;
            }

            var newLength = change.NewText?.Length ?? 0;
            if (rewritten < start + newLength)
            {
                return change.Span.Start;
            }

            shift += newLength - change.Span.Length;
        }

        return rewritten - shift;
    }
}
