using DagRunner.Web.Pages.Views;

namespace DagRunner.Web.Tests.Views;

/// <summary>The graph's server-side layout: columns that respect the edges, boxes that never overlap,
/// few crossings, and the same drawing every time.</summary>
public sealed class GraphLayoutTests
{
    // dags/fan_out_fan_in.csx's shape.
    private static readonly (string, IReadOnlyList<string>)[] FanOutFanIn =
    [
        ("extract", []),
        ("transform_emea", ["extract"]),
        ("transform_amer", ["extract"]),
        ("transform_apac", ["extract"]),
        ("load", ["transform_emea", "transform_amer", "transform_apac"]),
        ("notify", ["load"]),
        ("cleanup_on_failure", ["load"]),
    ];

    [Fact]
    public void Compute_FanOutFanIn_PutsEachTaskRightOfItsUpstreamWithoutCrossings()
    {
        var layout = GraphLayout.Compute(FanOutFanIn);

        var column = layout.Nodes.ToDictionary(n => n.Id, n => n.Column);
        Assert.Equal([0, 1, 1, 1, 2, 3, 3], layout.Nodes.Select(n => n.Column));
        Assert.All(FanOutFanIn, t => Assert.All(t.Item2, up => Assert.True(column[up] < column[t.Item1])));
        Assert.Equal(0, layout.Crossings);
        Assert.Equal(8, layout.Edges.Count);
        // The fan-in sits level with the middle of what it gathers.
        var load = layout.Nodes.Single(n => n.Id == "load");
        var middle = layout.Nodes.Single(n => n.Id == "transform_amer");
        Assert.Equal(middle.Y, load.Y);
    }

    [Fact]
    public void Compute_AnEdgeAcrossColumns_RunsThroughAWaypointInEachColumnBetween()
    {
        var layout = GraphLayout.Compute([("a", []), ("b", ["a"]), ("c", ["b"]), ("d", ["c", "a"])]);

        var longEdge = layout.Edges.Single(e => e is { From: "a", To: "d" });
        Assert.Equal(4, longEdge.Points.Count); // a's side, waypoints in b's and c's columns, d's side
        Assert.True(longEdge.Points.Zip(longEdge.Points.Skip(1)).All(p => p.First.X < p.Second.X));
        // The waypoints are beside b and c, not through them.
        foreach (var (x, y) in longEdge.Points.Skip(1).SkipLast(1))
            Assert.DoesNotContain(layout.Nodes, n => x >= n.X && x <= n.X + n.Width && y >= n.Y && y <= n.Y + n.Height);
    }

    [Fact]
    public void Compute_ThirtyFiveTasksWithFanOutAndFanIn_NoBoxesOverlapAndEdgesPointRight()
    {
        var tasks = Wide();

        var layout = GraphLayout.Compute(tasks);

        Assert.Equal(tasks.Count, layout.Nodes.Count);
        for (var i = 0; i < layout.Nodes.Count; i++)
        {
            for (var j = i + 1; j < layout.Nodes.Count; j++)
            {
                var (a, b) = (layout.Nodes[i], layout.Nodes[j]);
                var apart = a.X + a.Width <= b.X || b.X + b.Width <= a.X || a.Y + a.Height <= b.Y || b.Y + b.Height <= a.Y;
                Assert.True(apart, $"{a.Id} and {b.Id} overlap");
            }
        }

        Assert.All(layout.Nodes, n => Assert.True(n.X + n.Width <= layout.Width && n.Y + n.Height <= layout.Height, $"{n.Id} is outside the drawing"));
        Assert.All(layout.Edges, e => Assert.True(e.Points[0].X < e.Points[^1].X, $"{e.From} -> {e.To} points left"));
        Assert.Equal(tasks.Sum(t => t.Upstream.Count), layout.Edges.Count);
    }

    [Fact]
    public void Compute_TheSameTasksTwice_GivesTheSameDrawing()
    {
        var first = GraphLayout.Compute(Wide());
        var second = GraphLayout.Compute(Wide());

        Assert.Equal(first.Nodes, second.Nodes);
        Assert.Equal(first.Edges.Select(e => (e.From, e.To, string.Join(";", e.Points))), second.Edges.Select(e => (e.From, e.To, string.Join(";", e.Points))));
        Assert.Equal((first.Width, first.Height, first.Crossings), (second.Width, second.Height, second.Crossings));
    }

    [Fact]
    public void Compute_CrossedStart_BarycentresUncrossIt()
    {
        // Given in an order that crosses: a1→b2, a2→b1.
        var layout = GraphLayout.Compute([("a1", []), ("a2", []), ("b1", ["a2"]), ("b2", ["a1"])]);

        Assert.Equal(0, layout.Crossings);
    }

    [Fact]
    public void Compute_ACycle_IsRefusedNamingATask()
    {
        var refused = Assert.Throws<ArgumentException>(() => GraphLayout.Compute([("a", ["b"]), ("b", ["a"])]));

        Assert.Contains("cycle", refused.Message, StringComparison.Ordinal);
    }

    // 35 tasks: a start fanning out to 10 chains of 3, which fan in to 2 joins and an end, with a few
    // edges that skip columns.
    private static List<(string Id, IReadOnlyList<string> Upstream)> Wide()
    {
        var tasks = new List<(string Id, IReadOnlyList<string> Upstream)> { ("start", []) };
        for (var c = 0; c < 10; c++)
        {
            tasks.Add(($"p{c}_extract", ["start"]));
            tasks.Add(($"p{c}_transform", [$"p{c}_extract"]));
            tasks.Add(($"p{c}_check", c % 3 == 0 ? [$"p{c}_transform", "start"] : [$"p{c}_transform"]));
        }

        tasks.Add(("join_even", [.. Enumerable.Range(0, 10).Where(c => c % 2 == 0).Select(c => $"p{c}_check")]));
        tasks.Add(("join_odd", [.. Enumerable.Range(0, 10).Where(c => c % 2 == 1).Select(c => $"p{c}_check"), "p2_extract"]));
        tasks.Add(("end", ["join_even", "join_odd"]));
        tasks.Add(("notify", ["end", "start"]));
        return tasks;
    }
}
