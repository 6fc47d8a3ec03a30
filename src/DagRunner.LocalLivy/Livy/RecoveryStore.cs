using System.Text.Json;
using System.Text.Json.Serialization;
using DagRunner.LocalLivy.Cluster;

namespace DagRunner.LocalLivy.Livy;

/// <summary>Livy's recovery mode, with a file as the state store: id counters, the records and the
/// apps behind them are written on every change, and read back when the server starts again.</summary>
internal sealed class RecoveryStore(string file)
{
    private readonly Lock _lock = new();

    public string File { get; } = file;

    private bool _closed;

    /// <summary>Writes the state of <paramref name="front"/>. As in Livy, records that ended dead or
    /// killed are not kept (a successful batch is, until it is deleted or forgotten).</summary>
    public void Save(LivyFront front)
    {
        // The snapshot is taken under the lock, so saves land in the order their pictures were taken.
        lock (_lock)
        {
            if (_closed)
                return;
            var state = Snapshot(front);
            var temp = File + ".tmp";
            try
            {
                System.IO.File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(state, RecoveryJson.Default.RecoveryState));
                System.IO.File.Move(temp, File, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                front.Cluster.Logger.RecoveryWriteFailed(e, File);
            }
        }
    }

    private static RecoveryState Snapshot(LivyFront front)
    {
        var apps = front.Cluster.Apps;
        var (timestamp, sequence) = apps.Counters;
        return new RecoveryState(
            Version: 1,
            NextBatchId: front.Batches.NextId,
            NextSessionId: front.Sessions.NextId,
            ClusterTimestamp: timestamp,
            AppSequence: sequence,
            Apps: [.. apps.All().Select(a => new RecoveredApp(a.Id, a.Name, a.User, a.Queue, a.Tags, a.State, a.FinalStatus, a.Diagnostics, a.StartedTime, a.FinishedTime, a.ExitCode, a.DriverLogFile))],
            Batches: [.. front.Batches.Snapshot().Where(b => Kept(b.State)).Select(b => new RecoveredBatch(b.Id, b.Name, b.Tag, b.App?.Id, b.Request))],
            Sessions: [.. front.Sessions.Snapshot().Where(s => Kept(s.State)).Select(s => new RecoveredSession(s.Id, s.Name, s.Kind, s.App?.Id, s.Request))]);
    }

    /// <summary>Writes a last time and ignores later saves (from jobs ending as the server stops).</summary>
    public void Close(LivyFront front)
    {
        lock (_lock)
        {
            Save(front);
            _closed = true;
        }
    }

    private static bool Kept(string state) => state is not (LivyStates.Dead or LivyStates.Killed);

    /// <summary>Reads the store into <paramref name="front"/>: batches come back following their app
    /// in YARN, sessions reattach to a driver that is still alive or are dead.</summary>
    public void Load(LivyFront front, Action changed)
    {
        if (!System.IO.File.Exists(File))
            return;
        var state = JsonSerializer.Deserialize(System.IO.File.ReadAllBytes(File), RecoveryJson.Default.RecoveryState)
            ?? throw new InvalidDataException($"The recovery file {File} is empty.");
        var cluster = front.Cluster;
        cluster.Apps.RestoreCounters(state.ClusterTimestamp, state.AppSequence);
        foreach (var saved in state.Apps.Where(a => cluster.Apps.Find(a.Id) is null))
        {
            var app = new ClusterApp(saved.Id, saved.Name, saved.User, saved.Queue, saved.Tags, saved.Started) { DriverLogFile = saved.DriverLog };
            app.Restore(saved.State, saved.FinalStatus, saved.Diagnostics, saved.Finished, saved.ExitCode);
            // Its process ended with the server that ran it.
            app.Finish(YarnState.Failed, YarnState.Failed, "The LocalLivy server running this app stopped before it finished.", cluster.Time.GetUtcNow());
            cluster.Apps.Add(app);
        }

        var now = cluster.Time.GetUtcNow();
        var batches = state.Batches.Select(b => new LivyBatch(b.Id, b.Name, b.Request, b.Tag, cluster.Options.LogLines, now)
        {
            Recovered = true,
            App = b.AppId is null ? null : cluster.Apps.Find(b.AppId),
        });
        front.Batches.Restore(batches, state.NextBatchId);

        var sessions = new List<LivySession>();
        foreach (var saved in state.Sessions)
        {
            var session = new LivySession(saved.Id, saved.Name, saved.Kind, saved.Request, cluster.Options.LogLines, now)
            {
                App = saved.AppId is null ? null : cluster.Apps.Find(saved.AppId),
            };
            if (saved.AppId is not null && cluster.Driver(saved.AppId) is { State: not LivyStates.Dead } driver)
            {
                SessionLauncher.Attach(session, driver, cluster.Time, changed);
                session.SetState(LivyStates.Running, now);
            }
            else
            {
                session.Stdout.Add($"Cannot recover interactive session {saved.Id} because its RSCDriver URI is unknown.");
                session.SetState(LivyStates.Dead, now);
            }

            sessions.Add(session);
        }

        front.Sessions.Restore(sessions, state.NextSessionId);
    }
}

internal sealed record RecoveryState(
    int Version,
    int NextBatchId,
    int NextSessionId,
    long ClusterTimestamp,
    int AppSequence,
    IReadOnlyList<RecoveredApp> Apps,
    IReadOnlyList<RecoveredBatch> Batches,
    IReadOnlyList<RecoveredSession> Sessions);

internal sealed record RecoveredApp(
    string Id, string Name, string User, string Queue, IReadOnlyList<string> Tags, string State, string FinalStatus, string Diagnostics,
    DateTimeOffset Started, DateTimeOffset? Finished, int? ExitCode, string? DriverLog);

internal sealed record RecoveredBatch(int Id, string? Name, string Tag, string? AppId, BatchRequest Request);

internal sealed record RecoveredSession(int Id, string? Name, string Kind, string? AppId, SessionRequest Request);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RecoveryState))]
internal sealed partial class RecoveryJson : JsonSerializerContext;
