using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Execution;

namespace DagRunner.LocalLivy.Livy;

/// <summary>Starts a session's interpreter and ties its life to the Livy record.</summary>
internal static class SessionLauncher
{
    public static async Task StartAsync(LivySession session, ResolvedFiles files, int? dieOnStatement, LocalCluster cluster, Action changed)
    {
        var time = cluster.Time;
        if (!SessionKinds.RunsInPython(session.Kind))
        {
            session.Stdout.Add($"LocalLivy cannot start a '{session.Kind}' interpreter: it runs pyspark (Python) and sql sessions. " +
                "Scala and R sessions need a Livy in front of a Spark cluster.");
            session.SetState(LivyStates.Dead, time.GetUtcNow());
            changed();
            return;
        }

        var request = session.Request;
        var app = cluster.Apps.Create(request.Name ?? $"livy-session-{session.Id}", request.ProxyUser, request.Queue, [RequestRules.Tag("session", session.Id)]);
        var folder = cluster.AppFolder(app);
        foreach (var extra in files.Files.Concat(files.PyFiles).Where(File.Exists))
            File.Copy(extra, Path.Join(folder, Path.GetFileName(extra)), overwrite: true);

        var driverLog = new DriverLog(Path.Join(folder, "driver.log"));
        app.DriverLogFile = driverLog.Path;
        session.App = app;
        PythonRepl repl;
        try
        {
            session.Stdout.Add($"LocalLivy: starting {cluster.Options.Python} for session {session.Id} ({app.Id})");
            repl = await PythonRepl.StartAsync(cluster.Options.Python, cluster.DriverFile, folder, app.Name, line =>
            {
                session.Stderr.Add(line);
                driverLog.Write(line);
            }).ConfigureAwait(false);
        }
        catch (ChildProcessException e)
        {
            await driverLog.DisposeAsync().ConfigureAwait(false);
            session.Stdout.Add("LocalLivy: " + e.Message);
            app.Finish(YarnState.Failed, YarnState.Failed, e.Message, time.GetUtcNow());
            session.SetState(LivyStates.Dead, time.GetUtcNow());
            changed();
            return;
        }

        _ = repl.Exited.ContinueWith(_ => driverLog.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
        var driver = new SessionDriver(app, repl, DefaultStatementKind(session.Kind), time, cluster.Options.RetainedStatements, dieOnStatement);
        Attach(session, driver, time, changed);
        cluster.Track(driver);
        app.Kill = driver.KillFromYarnAsync;
        session.SetState(LivyStates.Running, time.GetUtcNow());
        await driver.StartAsync(cluster.Options.SessionStartTimeout).ConfigureAwait(false);
        changed();
    }

    /// <summary>Points the driver's callbacks at <paramref name="session"/> (also after a recovery restart).</summary>
    public static void Attach(LivySession session, SessionDriver driver, TimeProvider time, Action changed)
    {
        session.Driver = driver;
        driver.Log = session.Stdout.Add;
        driver.Activity = () => session.LastActivity = time.GetUtcNow();
        driver.Died = state =>
        {
            session.SetState(state, time.GetUtcNow());
            changed();
        };
    }

    // A shared session runs Scala unless a statement says otherwise, as in Livy.
    private static string DefaultStatementKind(string sessionKind) => sessionKind == SessionKinds.Shared ? SessionKinds.Spark : sessionKind;
}
