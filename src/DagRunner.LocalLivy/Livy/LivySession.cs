using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Wire;

namespace DagRunner.LocalLivy.Livy;

/// <summary>A Livy interactive session: the record Livy keeps, in front of a <see cref="SessionDriver"/>.</summary>
internal sealed class LivySession(int id, string? name, string kind, SessionRequest request, int logLines, DateTimeOffset created)
    : LivyRecord(id, name, created)
{
    public string Kind { get; } = kind;
    public SessionRequest Request { get; } = request;

    /// <summary>What LocalLivy itself says about the session (start-up, interpreter availability).</summary>
    public LogBuffer Stdout { get; } = new(logLines);

    /// <summary>The interpreter's stderr: what user code printed outside a statement's capture.</summary>
    public LogBuffer Stderr { get; } = new(logLines);

    public SessionDriver? Driver { get; set; }

    /// <summary>Last create, statement submit or cancel, or busy-to-idle change: what the idle timeout reads.</summary>
    public DateTimeOffset LastActivity { get; set; } = created;

    /// <summary>Once a driver is attached, Livy shows the REPL's own state.</summary>
    public override string State =>
        base.State == LivyStates.Running && Driver is { } driver ? driver.State : base.State;

    public override void Note(string line) => Stdout.Add(line);

    public override IReadOnlyList<string> FullLog() =>
        ["stdout: ", .. Stdout.Snapshot(), "\nstderr: ", .. Stderr.Snapshot(), "\nYARN Diagnostics: ", .. DiagnosticLines(App)];

    public SessionView View(ClusterUrls urls) => new(
        Id,
        Name,
        App?.Id,
        Owner: null,
        ProxyUser: null,
        State,
        Kind,
        AppInfo(urls),
        LogTail(),
        Request.Ttl,
        Request.IdleTimeout,
        Request.DriverMemory,
        Request.DriverCores,
        Request.ExecutorMemory,
        Request.ExecutorCores,
        Request.Conf,
        Request.Archives,
        Request.Files,
        Request.HeartbeatTimeoutInSecond,
        Request.Jars,
        Request.NumExecutors,
        Request.PyFiles,
        Request.Queue);
}
