namespace DagRunner.Sdk;

/// <summary>
/// Dependencies for groups of tasks: <c>new[] { a, b } &gt;&gt; c</c>, <c>a.Then(b, c).Then(d)</c>.
/// When the tasks are of different operator types, write the array as <c>new DagTask[] { a, b }</c>.
/// </summary>
public static class DagTaskArrays
{
    extension(DagTask[] tasks)
    {
        /// <summary><c>new[] { a, b } &gt;&gt; c</c>: <c>c</c> runs after both; returns <c>c</c>.</summary>
        public static DagTask operator >>(DagTask[] upstream, DagTask downstream)
        {
            ArgumentNullException.ThrowIfNull(downstream);
            downstream.SetUpstream(upstream);
            return downstream;
        }

        /// <summary><c>new[] { a, b } &gt;&gt; new[] { c, d }</c>: every right task runs after every left task; returns the right ones.</summary>
        public static DagTask[] operator >>(DagTask[] upstream, DagTask[] downstream)
        {
            ArgumentNullException.ThrowIfNull(upstream);
            foreach (var task in upstream)
            {
                task.SetDownstream(downstream);
            }

            return downstream;
        }

        /// <summary><c>new[] { b, c } &lt;&lt; a</c>: both run after <c>a</c>; returns <c>a</c>.</summary>
        public static DagTask operator <<(DagTask[] downstream, DagTask upstream)
        {
            ArgumentNullException.ThrowIfNull(upstream);
            upstream.SetDownstream(downstream);
            return upstream;
        }

        /// <summary>Fans in: <paramref name="next"/> runs after every task of the group; returns it.</summary>
        public T Then<T>(T next)
            where T : DagTask
        {
            ArgumentNullException.ThrowIfNull(next);
            next.SetUpstream(tasks);
            return next;
        }

        /// <summary>Every task given runs after every task of the group; returns them.</summary>
        public DagTask[] Then(DagTask first, DagTask second, params DagTask[] more) => tasks >> [first, second, .. more];
    }
}
