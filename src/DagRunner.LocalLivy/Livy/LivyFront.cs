using DagRunner.LocalLivy.Cluster;

namespace DagRunner.LocalLivy.Livy;

/// <summary>The Livy server's memory: its sessions and batches. A restart replaces it (empty, or
/// read back from the recovery store); the cluster behind it stays.</summary>
internal sealed class LivyFront(LocalCluster cluster, RecoveryStore? store)
{
    // Requests sweep at most this often: a sweep walks every record.
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);

    private readonly Lock _sweepLock = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;
    private volatile bool _retired;

    public LocalCluster Cluster { get; } = cluster;
    public RecordTable<LivyBatch> Batches { get; } = new();
    public RecordTable<LivySession> Sessions { get; } = new();

    private LocalLivyOptions Options => Cluster.Options;
    private DateTimeOffset Now => Cluster.Time.GetUtcNow();

    /// <summary>Sessions and batches still starting (Livy's <c>max-creation</c> counts these).</summary>
    public int CountStarting() =>
        Batches.Snapshot().Count(b => b.State == LivyStates.Starting) +
        Sessions.Snapshot().Count(s => s.State == LivyStates.Starting);

    /// <summary>Records a change for recovery (a no-op without recovery mode, and for a front that
    /// a restart replaced: jobs it started still report to it, but it no longer owns the store).</summary>
    public void Changed()
    {
        if (!_retired)
            store?.Save(this);
    }

    /// <summary>Runs the job that starts and follows <paramref name="record"/>, off the request. A
    /// failure inside LocalLivy ends the record <c>dead</c> with the reason in its log (and in the
    /// server's log) instead of leaving it <c>starting</c> forever.</summary>
    public Task Supervise(LivyRecord record, Func<Task> job) => Task.Run(async () =>
    {
        try
        {
            await job().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Cluster.Logger.JobFailed(e, record.GetType().Name, record.Id);
            record.Note($"LocalLivy: internal error while running this job: {e.GetType().Name}: {e.Message}");
            record.App?.Finish(YarnState.Failed, YarnState.Failed, "LocalLivy internal error: " + e.Message, Now);
            record.SetState(LivyStates.Dead, Now);
            Changed();
        }
    });

    /// <summary>Called when a restart replaces this front.</summary>
    public void Retire() => _retired = true;

    /// <summary>A sweep before a request, unless one ran within the last second.</summary>
    public void SweepIfDue()
    {
        var now = Now;
        lock (_sweepLock)
        {
            if (now - _lastSweep < SweepEvery && now >= _lastSweep)
                return;
            _lastSweep = now;
        }

        Sweep();
    }

    /// <summary>Forgets finished records past retention and ends sessions past their heartbeat or
    /// idle timeout. Livy does this every minute; LocalLivy also does it before answering (at most
    /// once a second), so an expired record answers 404 within a second of its time being up.</summary>
    public void Sweep()
    {
        var now = Now;
        var changed = false;
        foreach (var batch in Batches.Snapshot())
        {
            _ = batch.State; // a recovered batch learns that it finished by reading YARN
            if (Expired(batch, now))
                changed |= Batches.Remove(batch);
        }

        foreach (var session in Sessions.Snapshot())
        {
            if (Expired(session, now))
            {
                changed |= Sessions.Remove(session);
            }
            else if (TimedOut(session, now) is { } reason)
            {
                session.Stdout.Add("LocalLivy: " + reason);
                // Livy's GC has deleted the record: from this request on the session answers 404.
                Sessions.Remove(session);
                _ = Supervise(session, () => DeleteSessionAsync(session));
                changed = true;
            }
        }

        if (changed)
            Changed();
    }

    /// <summary>DELETE of a batch: kill the process (the app ends KILLED) and forget the record.</summary>
    public async Task DeleteBatchAsync(LivyBatch batch)
    {
        var process = batch.MarkDeleting();
        if (batch.App is { Kill: { } kill } app && !YarnState.IsTerminal(app.State))
            await kill().ConfigureAwait(false);
        else
            process?.Kill();

        // A batch still starting sees Deleting once it has a process, and ends it.
        await batch.Runner.ConfigureAwait(false);

        Batches.Remove(batch);
        Changed();
    }

    /// <summary>DELETE of a session: stop the interpreter and forget the record.</summary>
    public async Task DeleteSessionAsync(LivySession session)
    {
        session.Deleting = true;
        session.SetState(LivyStates.ShuttingDown, Now);
        if (session.Driver is { } driver)
            await driver.StopAsync().ConfigureAwait(false);

        // A session still starting sees Deleting once it has an interpreter, and stops it.
        await session.Runner.ConfigureAwait(false);
        if (session.Driver is { } started)
            Cluster.Forget(started);

        session.SetState(LivyStates.Dead, Now);
        Sessions.Remove(session);
        Changed();
    }

    /// <summary>Livy without recovery stops every session and batch when it stops.</summary>
    public async Task StopEverythingAsync()
    {
        await Task.WhenAll(
            Batches.Snapshot().Select(DeleteBatchAsync).Concat(
            Sessions.Snapshot().Select(DeleteSessionAsync))).ConfigureAwait(false);
    }

    private bool Expired(LivyRecord record, DateTimeOffset now) =>
        record.FinishedAt is { } finished && now - finished >= Options.StateRetention;

    private string? TimedOut(LivySession session, DateTimeOffset now)
    {
        if (session.Deleting || LivyStates.IsFinished(session.State))
            return null;
        var heartbeat = session.Request.HeartbeatTimeoutInSecond;
        if (heartbeat > 0 && now - session.LastTouched > TimeSpan.FromSeconds(heartbeat))
            return $"session {session.Id} missed its heartbeat ({heartbeat} s without a request), deleting it";
        var idle = SessionDurations.IdleTimeout(session.Request) ?? Options.SessionIdleTimeout;
        // Livy's default skip-busy=false: a busy session is timed out too; one in `error` never is.
        if (idle > TimeSpan.Zero && session.State != LivyStates.Error && now - session.LastActivity > idle)
            return $"session {session.Id} was idle for more than {idle}, deleting it";
        return null;
    }
}
