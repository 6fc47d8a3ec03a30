using System.Collections.Concurrent;

namespace DagRunner.Engine.Execution;

/// <summary>
/// The slots tasks take while they run: one of the process's <see cref="ExecutorOptions.Parallelism"/>
/// and one of their pool's. Taken without waiting (a task that finds none stays scheduled until a
/// slot frees), so runs never deadlock on each other's pools. Shared by every run of the process.
/// </summary>
public sealed class ExecutionSlots(ExecutorOptions options) : IDisposable
{
    private readonly SemaphoreSlim _global = new(options.Parallelism, options.Parallelism);
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _pools = new(StringComparer.Ordinal);

    /// <summary>Raised when a slot frees, so runs waiting for one look again.</summary>
    public event Action? Freed;

    /// <summary>A lease on a global and a pool slot, or null when either is taken.</summary>
    public Lease? TryTake(string pool)
    {
        var slots = _pools.GetOrAdd(pool, name =>
        {
            var count = options.Pools.TryGetValue(name, out var configured) ? configured : options.DefaultPoolSlots;
            return new SemaphoreSlim(count, count);
        });
        // Both or neither, atomically: a slot taken and given back would be seen as taken by a run
        // looking at the same moment, which would then wait for a release that never comes.
        lock (_gate)
        {
            if (_global.CurrentCount == 0 || slots.CurrentCount == 0)
                return null;
            _global.Wait(0);
            slots.Wait(0);
            return new Lease(this, slots);
        }
    }

    private void Release(SemaphoreSlim pool)
    {
        pool.Release();
        _global.Release();
        Freed?.Invoke();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _global.Dispose();
        foreach (var pool in _pools.Values)
            pool.Dispose();
    }

    /// <summary>A taken slot; disposing it gives the slot back.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly ExecutionSlots _owner;
        private readonly SemaphoreSlim _pool;
        private int _released;

        internal Lease(ExecutionSlots owner, SemaphoreSlim pool)
        {
            _owner = owner;
            _pool = pool;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                _owner.Release(_pool);
        }
    }
}
