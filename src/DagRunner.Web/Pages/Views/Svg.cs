using System.Globalization;
using System.Text;

namespace DagRunner.Web.Pages.Views;

/// <summary>Numbers and paths as SVG attributes want them: invariant culture, whatever the server's.</summary>
internal static class Svg
{
    /// <summary>A coordinate, to a tenth.</summary>
    public static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A smooth left-to-right curve through <paramref name="points"/>: each step a cubic whose
    /// control points leave and arrive horizontally, so an edge meets its boxes square.</summary>
    public static string Curve(IReadOnlyList<(double X, double Y)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var path = new StringBuilder();
        path.Append("M ").Append(N(points[0].X)).Append(' ').Append(N(points[0].Y));
        for (var i = 1; i < points.Count; i++)
        {
            var (x0, y0) = points[i - 1];
            var (x1, y1) = points[i];
            var bend = (x1 - x0) / 2;
            path.Append(" C ").Append(N(x0 + bend)).Append(' ').Append(N(y0))
                .Append(' ').Append(N(x1 - bend)).Append(' ').Append(N(y1))
                .Append(' ').Append(N(x1)).Append(' ').Append(N(y1));
        }

        return path.ToString();
    }

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters with an ellipsis (the whole text goes in a title).</summary>
    public static string Fit(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, Math.Max(1, max - 1)), "…");
}
