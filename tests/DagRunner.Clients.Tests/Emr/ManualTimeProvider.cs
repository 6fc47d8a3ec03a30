namespace DagRunner.Clients.Tests.Emr;

/// <summary>A clock that moves only when told, with timers that fire when it passes them, and a wait for the next
/// timer to be created: what the retry tests need to read the backoff a retry chose (its jitter) before moving the
/// clock. FakeTimeProvider (Microsoft.Extensions.TimeProvider.Testing) does not show its pending timers.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
            return _now;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Waits until a timer due within <paramref name="limit"/> is pending (a retry's backoff,
    /// not a request timeout), then moves the clock to it so it fires; the delay it waited.</summary>
    public async Task<TimeSpan> FireNextTimerWithinAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var delay = await WaitForTimerWithinAsync(limit, cancellationToken);
        Advance(delay);
        return delay;
    }

    /// <summary>Waits until a timer due within <paramref name="limit"/> is pending; how far off it is.</summary>
    public async Task<TimeSpan> WaitForTimerWithinAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            ManualTimer? next;
            lock (_gate)
            {
                changed = _changed.Task;
                next = _timers.Where(t => t.Due - _now <= limit).MinBy(t => t.Due);
            }

            if (next is not null)
                return next.Due - GetUtcNow();

            await changed.WaitAsync(cancellationToken);
        }
    }

    public void Advance(TimeSpan delta)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += delta;
            due = _timers.Where(t => t.Due <= _now).ToList();
            foreach (var timer in due)
                _timers.Remove(timer);
        }

        foreach (var timer in due)
            timer.Fire();
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                timer.Due = _now + dueTime;
                _timers.Add(timer);
            }

            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.SetResult();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Schedule(this, Timeout.InfiniteTimeSpan);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
