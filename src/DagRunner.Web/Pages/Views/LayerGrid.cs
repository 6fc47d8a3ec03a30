namespace DagRunner.Web.Pages.Views;

/// <summary>
/// The columns of a <see cref="GraphLayout"/>: the tasks (vertices <c>0..n-1</c>) and, for each edge that
/// spans more than one column, a waypoint vertex in every column between its ends, so that every link
/// joins neighbouring columns. <see cref="Order"/> arranges each column to reduce crossings.
/// </summary>
internal sealed class LayerGrid
{
    private readonly List<int[]> _up = [];
    private readonly List<int[]> _down = [];
    private readonly List<int> _layer = [];
    private readonly Dictionary<(int From, int To), int[]> _waypoints = [];
    private List<List<int>> _columns;
    private int[] _row = [];

    public LayerGrid(int[] layers, int[][] upstream)
    {
        var tasks = layers.Length;
        var up = new List<List<int>>();
        var down = new List<List<int>>();
        for (var v = 0; v < tasks; v++)
        {
            _layer.Add(layers[v]);
            up.Add([]);
            down.Add([]);
        }

        for (var to = 0; to < tasks; to++)
        {
            foreach (var from in upstream[to])
            {
                var chain = new int[layers[to] - layers[from] - 1];
                var previous = from;
                for (var i = 0; i < chain.Length; i++)
                {
                    var waypoint = _layer.Count;
                    _layer.Add(layers[from] + 1 + i);
                    up.Add([]);
                    down.Add([]);
                    Link(previous, waypoint);
                    chain[i] = previous = waypoint;
                }

                Link(previous, to);
                _waypoints[(from, to)] = chain;
            }
        }

        foreach (var list in up)
            _up.Add([.. list]);
        foreach (var list in down)
            _down.Add([.. list]);
        var columnCount = _layer.Count == 0 ? 0 : _layer.Max() + 1;
        // The first order: tasks as given, then waypoints as made (deterministic, and usually close).
        _columns = [.. Enumerable.Range(0, columnCount).Select(c => Enumerable.Range(0, _layer.Count).Where(v => _layer[v] == c).ToList())];
        Renumber();

        void Link(int from, int to)
        {
            down[from].Add(to);
            up[to].Add(from);
        }
    }

    /// <summary>Each column's vertices, top to bottom.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Columns => _columns;

    /// <summary>A vertex's column and row.</summary>
    public (int Column, int Row) Position(int vertex) => (_layer[vertex], _row[vertex]);

    /// <summary>The waypoints of the edge <paramref name="from"/> → <paramref name="to"/>, left to right.</summary>
    public IReadOnlyList<int> Waypoints(int from, int to) => _waypoints[(from, to)];

    /// <summary>Sweeps right (each vertex to the mean row of its upstream neighbours) and left (of its
    /// downstream ones) <paramref name="sweeps"/> times, keeping the order with the fewest crossings;
    /// returns that count.</summary>
    public int Order(int sweeps)
    {
        var best = Snapshot();
        var fewest = Crossings();
        for (var sweep = 0; sweep < sweeps && fewest > 0; sweep++)
        {
            for (var c = 1; c < _columns.Count; c++)
                Sort(c, _up);
            for (var c = _columns.Count - 2; c >= 0; c--)
                Sort(c, _down);
            var crossings = Crossings();
            if (crossings < fewest)
                (best, fewest) = (Snapshot(), crossings);
        }

        _columns = best;
        Renumber();
        return fewest;
    }

    private void Sort(int column, List<int[]> neighbours)
    {
        // A vertex with no neighbour on that side keeps its row; ties keep the current order.
        var keyed = _columns[column]
            .Select(v => (Vertex: v, Key: neighbours[v].Length == 0 ? _row[v] : neighbours[v].Average(n => (double)_row[n]), Row: _row[v]))
            .OrderBy(k => k.Key).ThenBy(k => k.Row)
            .Select(k => k.Vertex)
            .ToList();
        _columns[column] = keyed;
        for (var i = 0; i < keyed.Count; i++)
            _row[keyed[i]] = i;
    }

    // Pairs of links between the same two columns whose ends are in opposite orders.
    private int Crossings()
    {
        var total = 0;
        for (var c = 0; c + 1 < _columns.Count; c++)
        {
            var links = _columns[c].SelectMany(v => _down[v].Select(w => (A: _row[v], B: _row[w]))).ToArray();
            for (var i = 0; i < links.Length; i++)
            {
                for (var j = i + 1; j < links.Length; j++)
                {
                    if ((links[i].A - links[j].A) * (links[i].B - links[j].B) < 0)
                        total++;
                }
            }
        }

        return total;
    }

    private List<List<int>> Snapshot() => [.. _columns.Select(c => c.ToList())];

    private void Renumber()
    {
        _row = new int[_layer.Count];
        foreach (var column in _columns)
        {
            for (var i = 0; i < column.Count; i++)
                _row[column[i]] = i;
        }
    }
}
