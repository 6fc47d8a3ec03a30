namespace DagRunner.Web.Pages.Views;

/// <summary>
/// A layered, left-to-right drawing of a DAG, computed on the server (no JS library, nothing from a CDN).
/// Each task goes in the column of its longest path from a source, so every edge points right; an edge
/// that spans several columns gets a waypoint in each column it crosses (so it runs between nodes, not
/// through them); then a few sweeps of barycentric ordering put each node near the middle of its
/// neighbours, keeping the order with the fewest crossings. Ties are broken by the given order, so the
/// same DAG is always drawn the same way.
/// </summary>
internal sealed class GraphLayout
{
    private const int Sweeps = 8;

    private GraphLayout(IReadOnlyList<PlacedNode> nodes, IReadOnlyList<PlacedEdge> edges, double width, double height, int crossings)
    {
        Nodes = nodes;
        Edges = edges;
        Width = width;
        Height = height;
        Crossings = crossings;
    }

    /// <summary>The tasks, in the order given, each with its column, row and box.</summary>
    public IReadOnlyList<PlacedNode> Nodes { get; }

    /// <summary>The dependencies, each from the right side of its upstream task to the left side of its downstream one.</summary>
    public IReadOnlyList<PlacedEdge> Edges { get; }

    /// <summary>The drawing's width.</summary>
    public double Width { get; }

    /// <summary>The drawing's height.</summary>
    public double Height { get; }

    /// <summary>How many pairs of edge segments cross between neighbouring columns.</summary>
    public int Crossings { get; }

    /// <summary>Lays out <paramref name="tasks"/> (id and upstream ids; an upstream id that is not a task is ignored).</summary>
    /// <exception cref="ArgumentException">A task id appears twice, or the dependencies form a cycle.</exception>
    public static GraphLayout Compute(IReadOnlyList<(string Id, IReadOnlyList<string> Upstream)> tasks, GraphLayoutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        options ??= new GraphLayoutOptions();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, _) in tasks)
        {
            if (!index.TryAdd(id, index.Count))
                throw new ArgumentException($"Task '{id}' appears twice.", nameof(tasks));
        }

        var upstream = tasks.Select(t => t.Upstream.Where(index.ContainsKey).Select(u => index[u]).Distinct().ToArray()).ToArray();
        var layers = Layers(tasks, upstream);
        var grid = new LayerGrid(layers, upstream);
        var crossings = grid.Order(Sweeps);
        return Place(tasks, upstream, grid, crossings, options);
    }

    // Longest path from a source: a task's column is one more than its furthest upstream task's.
    private static int[] Layers(IReadOnlyList<(string Id, IReadOnlyList<string> Upstream)> tasks, int[][] upstream)
    {
        var layer = new int[tasks.Count];
        var state = new byte[tasks.Count]; // 0 new, 1 on the path being followed, 2 done
        for (var start = 0; start < tasks.Count; start++)
        {
            if (state[start] == 2)
                continue;
            var stack = new Stack<(int Node, int Next)>();
            stack.Push((start, 0));
            state[start] = 1;
            while (stack.TryPop(out var frame))
            {
                if (frame.Next < upstream[frame.Node].Length)
                {
                    stack.Push((frame.Node, frame.Next + 1));
                    var up = upstream[frame.Node][frame.Next];
                    if (state[up] == 1)
                        throw new ArgumentException($"The dependencies form a cycle through task '{tasks[up].Id}'.", nameof(tasks));
                    if (state[up] == 0)
                    {
                        state[up] = 1;
                        stack.Push((up, 0));
                    }

                    continue;
                }

                layer[frame.Node] = upstream[frame.Node].Length == 0 ? 0 : upstream[frame.Node].Max(u => layer[u]) + 1;
                state[frame.Node] = 2;
            }
        }

        return layer;
    }

    private static GraphLayout Place(IReadOnlyList<(string Id, IReadOnlyList<string> Upstream)> tasks, int[][] upstream, LayerGrid grid, int crossings, GraphLayoutOptions o)
    {
        var rowHeight = o.NodeHeight + o.RowGap;
        var tallest = grid.Columns.Count == 0 ? 0 : grid.Columns.Max(c => c.Count);
        // Each column is centred on the tallest one, so a fan-in sits level with what it gathers.
        (double X, double Y) Centre(int vertex)
        {
            var (column, row) = grid.Position(vertex);
            var offset = (tallest - grid.Columns[column].Count) * rowHeight / 2;
            return (o.Margin + column * (o.NodeWidth + o.ColumnGap) + o.NodeWidth / 2, o.Margin + offset + row * rowHeight + o.NodeHeight / 2);
        }

        var nodes = new List<PlacedNode>(tasks.Count);
        for (var i = 0; i < tasks.Count; i++)
        {
            var (x, y) = Centre(i);
            var (column, row) = grid.Position(i);
            nodes.Add(new PlacedNode(tasks[i].Id, column, row, x - o.NodeWidth / 2, y - o.NodeHeight / 2, o.NodeWidth, o.NodeHeight));
        }

        var edges = new List<PlacedEdge>();
        for (var to = 0; to < tasks.Count; to++)
        {
            foreach (var from in upstream[to])
            {
                var points = new List<(double X, double Y)>();
                var (fx, fy) = Centre(from);
                points.Add((fx + o.NodeWidth / 2, fy));
                foreach (var waypoint in grid.Waypoints(from, to))
                    points.Add(Centre(waypoint));
                var (tx, ty) = Centre(to);
                points.Add((tx - o.NodeWidth / 2, ty));
                edges.Add(new PlacedEdge(tasks[from].Id, tasks[to].Id, points));
            }
        }

        var width = 2 * o.Margin + Math.Max(0, grid.Columns.Count * (o.NodeWidth + o.ColumnGap) - o.ColumnGap);
        var height = 2 * o.Margin + Math.Max(0, tallest * rowHeight - o.RowGap);
        return new GraphLayout(nodes, edges, width, height, crossings);
    }
}

/// <summary>Sizes of the drawing, in SVG user units (pixels at 100 %).</summary>
internal sealed record GraphLayoutOptions
{
    /// <summary>A task's box width. Default: 180.</summary>
    public double NodeWidth { get; init; } = 180;

    /// <summary>A task's box height. Default: 44 (two lines: the id and the operator).</summary>
    public double NodeHeight { get; init; } = 44;

    /// <summary>The space between columns, where the edges curve. Default: 64.</summary>
    public double ColumnGap { get; init; } = 64;

    /// <summary>The space between boxes of one column. Default: 16.</summary>
    public double RowGap { get; init; } = 16;

    /// <summary>The space around the drawing. Default: 12.</summary>
    public double Margin { get; init; } = 12;
}

/// <summary>A task's place: its column (from 0, left), its row in the column, and its box.</summary>
internal sealed record PlacedNode(string Id, int Column, int Row, double X, double Y, double Width, double Height);

/// <summary>A dependency as the points its curve goes through, left to right.</summary>
internal sealed record PlacedEdge(string From, string To, IReadOnlyList<(double X, double Y)> Points);
