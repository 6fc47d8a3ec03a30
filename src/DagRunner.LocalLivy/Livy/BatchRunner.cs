using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Execution;

namespace DagRunner.LocalLivy.Livy;

/// <summary>Runs a batch as a real process and maps its end onto Livy and YARN the way a YARN
/// cluster does (reference §2.4, §2.5).</summary>
internal static class BatchRunner
{
    public static async Task RunAsync(LivyBatch batch, ResolvedFiles files, LocalCluster cluster, Action changed)
    {
        var time = cluster.Time;
        var file = files.File!;
        if (!File.Exists(file))
        {
            // spark-submit fails before YARN sees an app: no appId, batch dead.
            batch.Output.Add($"Exception in thread \"main\" java.io.FileNotFoundException: File file:{file} does not exist ({batch.Request.File})");
            batch.SetState(LivyStates.Dead, time.GetUtcNow());
            changed();
            return;
        }

        var app = cluster.Apps.Create(AppName(batch.Request, file), batch.Request.ProxyUser, batch.Request.Queue, Tags(batch));
        var folder = cluster.AppFolder(app);
        foreach (var extra in files.Files.Where(File.Exists))
            File.Copy(extra, Path.Join(folder, Path.GetFileName(extra)), overwrite: true);

        var launch = new BatchLaunch(
            file, batch.Request.ClassName, batch.Request.Args, app.Name, folder, files.Jars, files.PyFiles, files.Files, files.Archives,
            batch.Request.DriverMemory, batch.Request.DriverCores, batch.Request.ExecutorMemory, batch.Request.ExecutorCores,
            batch.Request.NumExecutors, batch.Request.Conf);
        var (startInfo, error) = BatchCommand.Build(launch, cluster.SparkSubmit, cluster.Python);
        batch.App = app;
        if (startInfo is null)
        {
            Fail(batch, app, error!, time);
            changed();
            return;
        }

        if (batch.Deleting)
        {
            app.Finish(YarnState.Killed, YarnState.Killed, $"Application {app.Id} was killed by user {app.User} before it started", time.GetUtcNow());
            batch.SetState(LivyStates.Killed, time.GetUtcNow());
            return;
        }

        await using var driverLog = new DriverLog(Path.Join(folder, "driver.log"));
        app.DriverLogFile = driverLog.Path;
        ChildProcess process;
        try
        {
            process = await ChildProcess.StartJobAsync(startInfo, cluster.Python, cluster.ExitFile(app), Line, Line).ConfigureAwait(false);
        }
        catch (ChildProcessException e)
        {
            Fail(batch, app, e.Message, time);
            changed();
            return;
        }

        var killedByYarn = false;
        if (batch.AttachProcess(process))
            process.Kill(); // DELETE (or an EMR cancel) came while the process was starting
        cluster.Track(app, process);
        // The app is KILLED once the kill returns, so a caller (YARN's PUT, Livy's DELETE) reads the end it caused.
        app.Kill = async () =>
        {
            killedByYarn = true;
            process.Kill();
            var code = await process.Exited.ConfigureAwait(false);
            app.Finish(YarnState.Killed, YarnState.Killed, $"Application {app.Id} was killed by user {app.User} at 127.0.0.1", time.GetUtcNow(), code);
        };
        app.MarkRunning();
        app.StartJob($"{Path.GetFileName(file)} (batch {batch.Id})", null, time.GetUtcNow());
        batch.SetState(LivyStates.Running, time.GetUtcNow());
        changed();

        var exitCode = await process.Exited.ConfigureAwait(false);
        // Nothing of the process is kept once it has ended: its handles, and the kill that holds it.
        app.Kill = null;
        batch.Process = null;
        await process.DisposeAsync().ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (batch.Deleting || killedByYarn)
        {
            app.Finish(YarnState.Killed, YarnState.Killed, $"Application {app.Id} was killed by user {app.User} at 127.0.0.1", now, exitCode);
            batch.SetState(LivyStates.Killed, now);
        }
        else if (process.LauncherLost)
        {
            // The job's code went for its parent: reported as what it is, never as the job's exit code.
            Line("LocalLivy: " + JobLauncher.BatchLostMessage);
            app.Finish(YarnState.Finished, YarnState.Failed, JobLauncher.BatchLostMessage, now, exitCode);
            batch.SetState(LivyStates.Dead, now);
        }
        else if (exitCode == 0)
        {
            app.Finish(YarnState.Finished, YarnState.Succeeded, "", now, exitCode);
            batch.SetState(LivyStates.Success, now);
        }
        else
        {
            app.Finish(YarnState.Finished, YarnState.Failed, $"User application exited with status {exitCode}", now, exitCode);
            batch.SetState(ClusterModeQuirk(batch, cluster.Options) ? LivyStates.Success : LivyStates.Dead, now);
        }

        changed();

        void Line(string line)
        {
            batch.Output.Add(line);
            driverLog.Write(line);
        }
    }

    /// <summary>Whether this batch reports <c>success</c> whatever its exit code.</summary>
    public static bool ClusterModeQuirk(LivyBatch batch, LocalLivyOptions options) =>
        batch.Request.Conf.TryGetValue(LocalLivyOptions.ClusterModeQuirkConfKey, out var value) && bool.TryParse(value, out var on)
            ? on
            : options.ClusterModeQuirk;

    /// <summary>The YARN app's name: the batch's name, else <c>spark.app.name</c> (what spark-submit's
    /// <c>--name</c> sets, for callers that cannot use Livy's unique batch names), else the file's name.</summary>
    private static string AppName(BatchRequest request, string file) =>
        request.Name
        ?? (request.Conf.TryGetValue("spark.app.name", out var name) && name.Length > 0 ? name : null)
        ?? Path.GetFileName(file);

    // Livy's own tag first (an EMR step's batch has none), then the user's spark.yarn.tags; YARN lower-cases them.
    private static List<string> Tags(LivyBatch batch)
    {
        var tags = batch.Tag.Length > 0 ? new List<string> { batch.Tag } : [];
        if (batch.Request.Conf.TryGetValue("spark.yarn.tags", out var user))
            tags.AddRange(user.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.ToLowerInvariant()));
        return tags;
    }

    private static void Fail(LivyBatch batch, ClusterApp app, string message, TimeProvider time)
    {
        batch.Output.Add("Error: " + message);
        app.Finish(YarnState.Failed, YarnState.Failed, message, time.GetUtcNow());
        batch.SetState(LivyStates.Dead, time.GetUtcNow());
    }
}
