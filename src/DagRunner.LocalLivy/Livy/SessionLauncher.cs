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
        if (session.Deleting)
            return;
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
            session.Stdout.Add($"LocalLivy: starting {cluster.Python} for session {session.Id} ({app.Id})");
            // Zips and eggs are modules' containers: they go on the path themselves; .py files are
            // importable from the working folder they were copied to.
            var archives = files.PyFiles.Where(f => !f.EndsWith(".py", StringComparison.OrdinalIgnoreCase))
                .Select(f => Path.Join(folder, Path.GetFileName(f))).ToList();
            repl = await PythonRepl.StartAsync(cluster.Python, cluster.DriverFile, folder, archives, app.Name, cluster.ExitFile(app), line =>
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

        // Once the interpreter has ended, its handles and its log file are released.
        _ = repl.Exited.ContinueWith(
            async _ =>
            {
                await driverLog.DisposeAsync().ConfigureAwait(false);
                await repl.DisposeAsync().ConfigureAwait(false);
            },
            TaskScheduler.Default).Unwrap();
        var driver = new SessionDriver(app, repl, DefaultStatementKind(session.Kind), time, cluster.Options.RetainedStatements, dieOnStatement);
        Attach(session, driver, time, changed);
        cluster.Track(driver);
        app.Kill = driver.KillFromYarnAsync;
        session.SetState(LivyStates.Running, time.GetUtcNow());
        if (session.Deleting)
        {
            await driver.StopAsync().ConfigureAwait(false); // DELETE came while it was starting
            return;
        }

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
