namespace DagRunner.Sdk;

public abstract partial class DagTask
{
    private readonly List<DagTask> _upstream = [];
    private readonly List<DagTask> _downstream = [];

    /// <summary>The tasks this task runs after, in the order the edges were declared.</summary>
    public IReadOnlyList<DagTask> Upstream => _upstream;

    /// <summary>The tasks that run after this task, in the order the edges were declared.</summary>
    public IReadOnlyList<DagTask> Downstream => _downstream;

    /// <summary>Makes <paramref name="next"/> run after this task and returns it, so chains read left to right.</summary>
    public T Then<T>(T next)
        where T : DagTask
    {
        SetDownstream(next);
        return next;
    }

    /// <summary>Fans out: every task given runs after this one. Returns them all, so a further <c>.Then(d)</c> fans in.</summary>
    public DagTask[] Then(DagTask first, DagTask second, params DagTask[] more)
    {
        DagTask[] next = [first, second, .. more];
        SetDownstream(next);
        return next;
    }

    /// <summary>Makes every task in <paramref name="tasks"/> run after this one.</summary>
    // Arrays, not params IEnumerable: the latter makes the compiler emit a collection type into
    // every DAG file's assembly, which the runtime then compiles again for each file.
    public void SetDownstream(params DagTask[] tasks) => SetDownstream((IEnumerable<DagTask>)tasks);

    /// <summary>Makes every task in <paramref name="tasks"/> run after this one.</summary>
    public void SetDownstream(IEnumerable<DagTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        foreach (var task in tasks)
        {
            Link(this, task);
        }
    }

    /// <summary>Makes this task run after every task in <paramref name="tasks"/>.</summary>
    public void SetUpstream(params DagTask[] tasks) => SetUpstream((IEnumerable<DagTask>)tasks);

    /// <summary>Makes this task run after every task in <paramref name="tasks"/>.</summary>
    public void SetUpstream(IEnumerable<DagTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        foreach (var task in tasks)
        {
            Link(task, this);
        }
    }

    /// <summary><c>a &gt;&gt; b</c>: <c>b</c> runs after <c>a</c>; returns <c>b</c>.</summary>
    public static DagTask operator >>(DagTask upstream, DagTask downstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        upstream.SetDownstream(downstream);
        return downstream;
    }

    /// <summary><c>a &gt;&gt; new[] { b, c }</c>: both run after <c>a</c>; returns them.</summary>
    public static DagTask[] operator >>(DagTask upstream, DagTask[] downstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        upstream.SetDownstream(downstream);
        return downstream;
    }

    /// <summary><c>b &lt;&lt; a</c>: <c>b</c> runs after <c>a</c>; returns <c>a</c>.</summary>
    public static DagTask operator <<(DagTask downstream, DagTask upstream)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        downstream.SetUpstream(upstream);
        return upstream;
    }

    /// <summary><c>c &lt;&lt; new[] { a, b }</c>: <c>c</c> runs after both; returns them.</summary>
    public static DagTask[] operator <<(DagTask downstream, DagTask[] upstream)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        downstream.SetUpstream(upstream);
        return upstream;
    }

    /// <summary>The same as <c>a &gt;&gt; b</c>, for languages without operator overloading.</summary>
    public static DagTask RightShift(DagTask upstream, DagTask downstream) => upstream >> downstream;

    /// <summary>The same as <c>b &lt;&lt; a</c>, for languages without operator overloading.</summary>
    public static DagTask LeftShift(DagTask downstream, DagTask upstream) => downstream << upstream;

    // Adding the same edge twice is harmless, as in Airflow; a self-edge is a cycle and is
    // reported by validation with the rest of the graph's problems rather than thrown here.
    private static void Link(DagTask upstream, DagTask downstream)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        if (upstream._downstream.Contains(downstream))
        {
            return;
        }

        upstream._downstream.Add(downstream);
        downstream._upstream.Add(upstream);
    }
}
