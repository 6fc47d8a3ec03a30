using System.Text;

namespace DagRunner.Sdk.Tests.PublicApi;

/// <summary>A readable line diff for a failed comparison: each change as <c>- old</c> / <c>+ new</c> lines,
/// with two lines of context, under <c>@@ line N</c> (the line in the old text).</summary>
internal static class LineDiff
{
    private const int Context = 2;

    public static string Describe(string before, string after)
    {
        var a = Lines(before);
        var b = Lines(after);

        // Longest common subsequence, from the end: lcs[i, j] is the LCS length of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        }

        var edits = new List<(char Kind, string Text, int OldLine)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add((' ', a[x++], x));
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
                edits.Add(('-', a[x++], x));
            else
                edits.Add(('+', b[y++], x + 1));
        }

        var text = new StringBuilder();
        var shownUpTo = -1;
        for (var k = 0; k < edits.Count; k++)
        {
            if (edits[k].Kind == ' ')
                continue;
            var from = Math.Max(Math.Max(0, k - Context), shownUpTo + 1);
            if (from > shownUpTo + 1 || shownUpTo < 0)
                text.Append(text.Length > 0 ? "\n" : string.Empty).Append("@@ line ").Append(edits[k].OldLine);
            var end = k;
            while (end + 1 < edits.Count && (edits[end + 1].Kind != ' ' || NextChangeWithin(edits, end + 1)))
                end++;
            var to = Math.Min(edits.Count - 1, end + Context);
            for (var i = from; i <= to; i++)
                text.Append('\n').Append(edits[i].Kind).Append(' ').Append(edits[i].Text);
            shownUpTo = to;
            k = to;
        }

        return text.ToString();
    }

    // Whether a change follows within twice the context, so two nearby changes share one block.
    private static bool NextChangeWithin(List<(char Kind, string Text, int OldLine)> edits, int start)
    {
        for (var i = start; i < edits.Count && i < start + (2 * Context); i++)
        {
            if (edits[i].Kind != ' ')
                return true;
        }

        return false;
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}
