namespace DagRunner.Hosting.Dev;

/// <summary>The lines that differ between two texts, as <c>- old</c> and <c>+ new</c> with their line
/// numbers, from a longest common subsequence: enough to see what a template edit did to a statement.</summary>
internal static class LineDiff
{
    public static IReadOnlyList<string> Describe(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
        }

        var lines = new List<string>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || common[x + 1, y] >= common[x, y + 1]))
            {
                // On a tie the old line goes first, as diff and git show a changed line.
                lines.Add($"-{x + 1,4} | {a[x]}");
                x++;
            }
            else
            {
                lines.Add($"+{y + 1,4} | {b[y]}");
                y++;
            }
        }

        return lines;
    }
}
