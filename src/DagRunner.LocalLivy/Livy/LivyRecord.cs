using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Wire;

namespace DagRunner.LocalLivy.Livy;

/// <summary>What sessions and batches share: an id, an optional unique name, the app that runs
/// them once YARN knows it, and the clocks that retention and heartbeats read.</summary>
internal abstract class LivyRecord(int id, string? name, DateTimeOffset created)
{
    private readonly Lock _lock = new();
    private string _state = LivyStates.Starting;

    public int Id { get; } = id;
    public string? Name { get; } = name;
    public DateTimeOffset Created { get; } = created;

    /// <summary>The app, once it has been submitted; Livy shows <c>appId</c> null until then.</summary>
    public ClusterApp? App { get; set; }

    /// <summary>Last request addressed to this record (heartbeat).</summary>
    public DateTimeOffset LastTouched { get; set; } = created;

    /// <summary>When the record reached a final state; retention counts from here.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    private volatile bool _deleting;

    /// <summary>Set once DELETE has started, so the exit that follows reads as a kill, and a job
    /// still starting stops as soon as it has a process.</summary>
    public bool Deleting
    {
        get => _deleting;
        set => _deleting = value;
    }

    /// <summary>The task that starts and follows the record's job; DELETE waits for it.</summary>
    public Task Runner { get; set; } = Task.CompletedTask;

    public virtual string State => _state;

    /// <summary>Moves to <paramref name="state"/> unless the record is already final (Livy ignores
    /// transitions out of a final state).</summary>
    public bool SetState(string state, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (LivyStates.IsFinished(_state))
                return false;
            _state = state;
            if (LivyStates.IsFinished(state))
                FinishedAt = now;
            return true;
        }
    }

    /// <summary>Marks a record whose state is derived (recovered batches) as finished for retention.</summary>
    protected void MarkFinished(DateTimeOffset now)
    {
        lock (_lock)
            FinishedAt ??= now;
    }

    public AppInfoView AppInfo(ClusterUrls urls) =>
        App is { } app && ShowAppInfo
            // Livy 0.9 drops driverLogUrl once the app has succeeded (LIVY-991).
            ? new AppInfoView(app is { State: YarnState.Finished, FinalStatus: YarnState.Succeeded } ? null : urls.DriverLog(app), urls.SparkUi(app), null)
            : new AppInfoView(null, null, null);

    /// <summary>Livy fills <c>appInfo</c> once the app is running.</summary>
    protected virtual bool ShowAppInfo => App is { State: not YarnState.Accepted };

    /// <summary>Adds a line of LocalLivy's own to the record's log.</summary>
    public abstract void Note(string line);

    /// <summary>The whole buffered log, with Livy's stream markers.</summary>
    public abstract IReadOnlyList<string> FullLog();

    /// <summary>The last ten lines, as the record's <c>log</c> field shows them.</summary>
    public IReadOnlyList<string> LogTail()
    {
        var log = FullLog();
        return log.Count <= 10 ? log : [.. log.Skip(log.Count - 10)];
    }

    protected static IEnumerable<string> DiagnosticLines(ClusterApp? app) =>
        app is null || app.Diagnostics.Length == 0 ? [] : app.Diagnostics.Split('\n');
}
