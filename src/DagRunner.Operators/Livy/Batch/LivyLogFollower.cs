namespace DagRunner.Operators.Livy.Batch;

/// <summary>
/// Turns successive reads of a Livy log into the lines that are new. Livy's log is a list of
/// blocks (<c>stdout: </c>, <c>\nstderr: </c>, <c>\nYARN Diagnostics: </c>), each a rolling window
/// of the last lines, so a position is not a stable cursor: a block grows in the middle of the
/// list, and once full, its first lines roll out. Each block is compared with its previous read
/// instead: the new lines are what follows the longest tail of the previous read that the current
/// read starts with. No line is shown twice, and none is lost unless more lines arrived between two
/// reads than Livy keeps.
/// </summary>
internal sealed class LivyLogFollower
{
    private readonly Dictionary<string, List<string>> _previous = new(StringComparer.Ordinal);

    /// <summary>The lines of <paramref name="log"/> not seen in earlier reads, stderr and YARN
    /// diagnostics marked as such.</summary>
    public IReadOnlyList<string> NewLines(IReadOnlyList<string> log)
    {
        var fresh = new List<string>();
        foreach (var (block, lines) in Blocks(log))
        {
            var previous = _previous.GetValueOrDefault(block) ?? [];
            var overlap = Overlap(previous, lines);
            var prefix = block switch
            {
                "stderr" => "stderr: ",
                "yarn" => "YARN: ",
                _ => "",
            };
            fresh.AddRange(lines.Skip(overlap).Select(line => prefix + line));
            _previous[block] = lines;
        }

        return fresh;
    }

    private static IEnumerable<(string Block, List<string> Lines)> Blocks(IReadOnlyList<string> log)
    {
        var block = "stdout";
        var lines = new List<string>();
        foreach (var line in log)
        {
            var marker = line.Trim() switch
            {
                "stdout:" => "stdout",
                "stderr:" => "stderr",
                "YARN Diagnostics:" => "yarn",
                _ => null,
            };
            if (marker is null)
            {
                lines.Add(line);
                continue;
            }

            if (lines.Count > 0)
                yield return (block, lines);
            block = marker;
            lines = [];
        }

        if (lines.Count > 0)
            yield return (block, lines);
    }

    // The largest k such that the last k lines of `previous` are the first k of `current`.
    private static int Overlap(List<string> previous, List<string> current)
    {
        for (var k = Math.Min(previous.Count, current.Count); k > 0; k--)
        {
            var start = previous.Count - k;
            var match = true;
            for (var i = 0; i < k && match; i++)
                match = previous[start + i] == current[i];
            if (match)
                return k;
        }

        return 0;
    }
}
