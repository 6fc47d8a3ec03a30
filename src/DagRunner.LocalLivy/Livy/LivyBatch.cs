using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Execution;
using DagRunner.LocalLivy.Wire;

namespace DagRunner.LocalLivy.Livy;

/// <summary>A Livy batch: one process run of a job file, followed from <c>starting</c> to
/// <c>success</c>, <c>dead</c> or <c>killed</c>.</summary>
internal sealed class LivyBatch(int id, string? name, BatchRequest request, string tag, int logLines, DateTimeOffset created)
    : LivyRecord(id, name, created)
{
    public BatchRequest Request { get; } = request;

    /// <summary>Livy's YARN tag for the batch (<c>livy-batch-&lt;id&gt;-&lt;random&gt;</c>).</summary>
    public string Tag { get; } = tag;

    /// <summary>The process's stdout and stderr, merged as Livy's <c>redirectErrorStream</c> merges them.</summary>
    public LogBuffer Output { get; } = new(logLines);

    /// <summary>Came back from the recovery store: no process of ours, the state is YARN's.</summary>
    public bool Recovered { get; init; }

    // A delete and a starting process meet under this lock: one of them always sees the other.
    private readonly Lock _handOver = new();
    private volatile ChildProcess? _process;

    /// <summary>The running process; null before it starts and after it has ended.</summary>
    public ChildProcess? Process
    {
        get => _process;
        set => _process = value;
    }

    /// <summary>Hands the started process over; true when a delete (or a cancel) came first, so the caller kills it.</summary>
    public bool AttachProcess(ChildProcess process)
    {
        lock (_handOver)
        {
            _process = process;
            return Deleting;
        }
    }

    /// <summary>Marks the batch as being deleted and returns its process, if it has one yet; a process handed over
    /// later is killed by <see cref="AttachProcess"/>'s caller.</summary>
    public ChildProcess? MarkDeleting()
    {
        lock (_handOver)
        {
            Deleting = true;
            return _process;
        }
    }

    public override string State => Recovered ? StateFromYarn() : base.State;

    public override void Note(string line) => Output.Add(line);

    public override IReadOnlyList<string> FullLog() =>
        ["stdout: ", .. Output.Snapshot(), "\nstderr: ", "\nYARN Diagnostics: ", .. DiagnosticLines(App)];

    public BatchView View(ClusterUrls urls) =>
        new(Id, Name, Owner: null, ProxyUser: null, State, App?.Id, AppInfo(urls), LogTail());

    // Livy maps the RM report when it has no spark-submit to ask (reference §2.4).
    private string StateFromYarn()
    {
        if (App is not { } app)
        {
            MarkFinished(Created);
            return LivyStates.Dead;
        }
        var state = (app.State, app.FinalStatus) switch
        {
            (YarnState.Accepted, _) => LivyStates.Recovering,
            (YarnState.Running, _) => LivyStates.Running,
            (YarnState.Finished, YarnState.Succeeded) => LivyStates.Success,
            (YarnState.Killed, _) => LivyStates.Killed,
            _ => LivyStates.Dead,
        };
        if (LivyStates.IsFinished(state))
            MarkFinished(app.FinishedTime ?? Created);
        return state;
    }
}
