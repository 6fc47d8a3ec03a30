namespace DagRunner.Scripting.Compilation;

/// <summary>
/// Maps columns in the host-rewritten text of each script file (the DAG file and what it
/// <c>#load</c>s) back to the columns the author wrote. Stored in the compile cache so that
/// exceptions thrown by a cached file are reported at the author's columns too.
/// </summary>
internal sealed class ColumnMap
{
    public static readonly ColumnMap Empty = new(new Dictionary<string, List<ColumnEdit>>());

    public ColumnMap(Dictionary<string, List<ColumnEdit>> editsByFile) => EditsByFile = editsByFile;

    /// <summary>The edits of each file, in order of line and column.</summary>
    public Dictionary<string, List<ColumnEdit>> EditsByFile { get; }

    /// <summary>The author's column for 1-based <paramref name="column"/> of <paramref name="line"/> in the rewritten <paramref name="file"/>.</summary>
    public int ToOriginal(string file, int line, int column)
    {
        if (!EditsByFile.TryGetValue(file, out var edits))
        {
            return column;
        }

        var shift = 0;
        foreach (var edit in edits)
        {
            if (edit.Line != line)
            {
                if (edit.Line > line)
                {
                    break;
                }

                continue;
            }

            var start = edit.Column + shift;
            if (column < start)
            {
                break;
            }

            if (column < start + edit.Inserted)
            {
                return edit.Column;
            }

            shift += edit.Inserted - edit.Removed;
        }

        return column - shift;
    }
}
