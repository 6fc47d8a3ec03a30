using System.Collections.Concurrent;
using DagRunner.LocalLivy.Execution;
using DagRunner.LocalLivy.Livy;
using Microsoft.Extensions.Logging;

namespace DagRunner.LocalLivy.Cluster;

/// <summary>The "cluster" behind the Livy front: the apps, their processes and session drivers.
/// It outlives a Livy restart, as YARN apps outlive Livy, and ends every process when disposed.</summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ChildProcess> _processes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SessionDriver> _drivers = new(StringComparer.Ordinal);

    public LocalCluster(LocalLivyOptions options, string stateFolder, string hdfsRoot)
    {
        Options = options;
        StateFolder = stateFolder;
        HdfsRoot = hdfsRoot;
        Apps = new AppRegistry(options.TimeProvider, options.MaxCompletedApps);
        Logger = options.LoggerFactory.CreateLogger("DagRunner.LocalLivy");
        Paths = new JobPaths(options.JobsRoot, hdfsRoot);
        SparkSubmit = options.SparkSubmit ?? Tools.FindSparkSubmit();
        Python = Tools.ResolvePython(options.Python);
        DriverFile = Tools.WriteReplDriver(stateFolder);
    }

    public LocalLivyOptions Options { get; }
    public ILogger Logger { get; }
    public TimeProvider Time => Options.TimeProvider;
    public string StateFolder { get; }
    public string HdfsRoot { get; }
    public AppRegistry Apps { get; }
    public ClusterUrls Urls { get; } = new();
    public JobPaths Paths { get; }

    /// <summary><c>spark-submit</c> when there is one; otherwise <c>.py</c> batches run with Python.</summary>
    public string? SparkSubmit { get; }

    /// <summary>The Python interpreter, resolved once (see <see cref="Tools.ResolvePython"/>).</summary>
    public string Python { get; }

    /// <summary>The Python REPL driver, written out once per server.</summary>
    public string DriverFile { get; }

    /// <summary>A working folder of the app's own, like a YARN container's.</summary>
    public string AppFolder(ClusterApp app)
    {
        var folder = Path.Join(StateFolder, "apps", app.Id);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Where the launcher of the app's process writes its exit code: outside the app's
    /// working folder, so the job neither sees nor trips over it.</summary>
    public string ExitFile(ClusterApp app) => Path.Join(StateFolder, "launch", app.Id + ".exit");

    public void Track(ClusterApp app, ChildProcess process)
    {
        _processes[app.Id] = process;
        _ = process.Exited.ContinueWith(_ => _processes.TryRemove(app.Id, out var _), TaskScheduler.Default);
    }

    public void Track(SessionDriver driver) => _drivers[driver.App.Id] = driver;

    public SessionDriver? Driver(string appId) => _drivers.GetValueOrDefault(appId);

    public void Forget(SessionDriver driver) => _drivers.TryRemove(driver.App.Id, out _);

    /// <summary>Stops every session driver and kills every batch process: no child outlives the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_drivers.Values.Select(d => d.StopAsync())).ConfigureAwait(false);
        foreach (var (appId, process) in _processes)
        {
            Apps.Find(appId)?.Finish(YarnState.Killed, YarnState.Killed, $"Application {appId} was killed: LocalLivy stopped.", Time.GetUtcNow());
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }
}
