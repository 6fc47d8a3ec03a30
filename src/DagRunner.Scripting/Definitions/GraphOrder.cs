using DagRunner.Sdk;

namespace DagRunner.Scripting.Definitions;

/// <summary>Orders tasks so each comes after its upstream tasks, or finds a cycle.</summary>
internal static class GraphOrder
{
    /// <summary>
    /// Kahn's algorithm, taking ready tasks in the order they were added, so the order is stable.
    /// When the graph has a cycle, <paramref name="cycle"/> holds it as a closed path (first = last).
    /// </summary>
    public static IReadOnlyList<DagTask> Sort(IReadOnlyList<DagTask> tasks, out IReadOnlyList<DagTask>? cycle)
    {
        var members = new HashSet<DagTask>(tasks);
        var index = tasks.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var waiting = tasks.ToDictionary(t => t, t => t.Upstream.Count(members.Contains));
        var ready = new PriorityQueue<DagTask, int>();
        foreach (var task in tasks.Where(t => waiting[t] == 0))
        {
            ready.Enqueue(task, index[task]);
        }

        var order = new List<DagTask>(tasks.Count);
        while (ready.TryDequeue(out var task, out _))
        {
            order.Add(task);
            foreach (var next in task.Downstream.Where(members.Contains))
            {
                if (--waiting[next] == 0)
                {
                    ready.Enqueue(next, index[next]);
                }
            }
        }

        cycle = order.Count == tasks.Count ? null : FindCycle(tasks.Where(t => waiting[t] > 0).ToList(), members);
        return order;
    }

    private static List<DagTask> FindCycle(List<DagTask> stuck, HashSet<DagTask> members)
    {
        // A task left waiting has an upstream task that is left waiting too, so walking upstream
        // inside that set must come back to a task already seen: from there on, the walk is a cycle.
        var stuckSet = new HashSet<DagTask>(stuck);
        var walk = new List<DagTask>();
        var seenAt = new Dictionary<DagTask, int>();
        var current = stuck[0];
        while (!seenAt.ContainsKey(current))
        {
            seenAt[current] = walk.Count;
            walk.Add(current);
            current = current.Upstream.First(t => members.Contains(t) && stuckSet.Contains(t));
        }

        // The walk went upstream; reverse it to read in the direction the edges point.
        var cycle = walk.Skip(seenAt[current]).Reverse().ToList();
        cycle.Insert(0, cycle[^1]);
        return cycle;
    }
}
