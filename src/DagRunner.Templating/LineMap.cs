using System.Collections.Immutable;

namespace DagRunner.Templating;

/// <summary>
/// For each line of a rendered text (or of a file sent after a preamble), the template or file line it
/// came from, so that an error's line number can be shown where the author can fix it.
/// </summary>
public sealed class LineMap
{
    private readonly ImmutableArray<SourceLine?> _lines;

    internal LineMap(ImmutableArray<SourceLine?> lines) => _lines = lines;

    /// <summary>A map for a text sent after <paramref name="preambleLines"/> generated lines: line n of the
    /// text is line n + preamble of what is sent.</summary>
    public static LineMap AfterPreamble(string origin, int preambleLines, int fileLines)
    {
        var lines = ImmutableArray.CreateBuilder<SourceLine?>(preambleLines + fileLines);
        for (var i = 0; i < preambleLines; i++)
            lines.Add(null);
        for (var i = 1; i <= fileLines; i++)
            lines.Add(new SourceLine(origin, i));
        return new LineMap(lines.MoveToImmutable());
    }

    /// <summary>Where line <paramref name="line"/> (from 1) of the sent text came from, or null for a generated line.</summary>
    public SourceLine? Find(int line) => line >= 1 && line <= _lines.Length ? _lines[line - 1] : null;
}

/// <summary>A line of a template or file under the templates folder.</summary>
public sealed record SourceLine(string Origin, int Line)
{
    /// <inheritdoc />
    public override string ToString() => $"{Origin}:{Line}";
}
