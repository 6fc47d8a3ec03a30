using System.CommandLine;
using System.Globalization;
using DagRunner.Hosting.LocalLivy;
using DagRunner.LocalLivy;

namespace DagRunner.Cli.Commands.LocalLivy;

/// <summary><c>local-livy</c>: the embedded LocalLivy on its own, until Ctrl+C.</summary>
internal static class LocalLivyCommand
{
    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => 8998 };
        var jobsRoot = new Option<string?>("--jobs-root") { Description = "Folder that local: and absolute job paths resolve against (default: the templates folder)" };
        var hdfsRoot = new Option<string?>("--hdfs-root") { Description = "Folder served as the WebHDFS root (default <home>/local-livy/hdfs)" };
        var hdfsSeed = new Option<string?>("--hdfs-seed") { Description = "Copy this folder's files into the WebHDFS root at start, where missing (sample input)" };
        var recovery = new Option<bool>("--recovery") { Description = "Livy recovery mode: keep sessions and batches across restarts" };
        var noCsrf = new Option<bool>("--no-csrf") { Description = "Do not require X-Requested-By on POST and DELETE" };
        var quirk = new Option<bool>("--cluster-mode-quirk") { Description = "Report Livy 'success' for failing batches, as YARN cluster mode does; YARN and Spark still tell the truth" };
        var retention = new Option<double?>("--retention") { Description = "Seconds finished sessions and batches are kept (default 600)" };
        var latency = new Option<double?>("--fault-latency-ms") { Description = "Delay added to every answer" };
        var errorRate = new Option<double?>("--fault-error-rate") { Description = "Share of requests (0-1) answered with a 500" };
        var command = new Command("local-livy", "Run the embedded local Livy: Livy, YARN, Spark and WebHDFS REST APIs on one port, really running the code")
        {
            port, jobsRoot, hdfsRoot, hdfsSeed, recovery, noCsrf, quirk, retention, latency, errorRate,
        };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var options = EmbeddedLivy.Options(session.Settings, session.Time);
            options.LoggerFactory = session.LoggerFactory;
            options.Port = parse.GetValue(port);
            options.JobsRoot = parse.GetValue(jobsRoot) is { } jobs ? Path.GetFullPath(jobs, session.Io.CurrentDirectory) : options.JobsRoot;
            options.HdfsRoot = parse.GetValue(hdfsRoot) is { } hdfs ? Path.GetFullPath(hdfs, session.Io.CurrentDirectory) : options.HdfsRoot;
            options.HdfsSeed = parse.GetValue(hdfsSeed) is { } seed ? Path.GetFullPath(seed, session.Io.CurrentDirectory) : options.HdfsSeed;
            options.Recovery = parse.GetValue(recovery);
            options.CsrfProtection = !parse.GetValue(noCsrf);
            options.ClusterModeQuirk = parse.GetValue(quirk);
            options.StateRetention = parse.GetValue(retention) is { } seconds ? TimeSpan.FromSeconds(seconds) : options.StateRetention;
            options.Faults.Latency = parse.GetValue(latency) is { } ms ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;
            options.Faults.ServerErrorRate = parse.GetValue(errorRate) ?? 0;

            LocalLivyServer server;
            try
            {
                server = await LocalLivyServer.StartAsync(options, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or IOException)
            {
                throw new UsageException($"LocalLivy cannot start: {e.Message}");
            }

            await using (server.ConfigureAwait(false))
            {
                await session.Io.Out.WriteLineAsync(Banner(server, session.Io)).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await session.Io.Out.WriteLineAsync("LocalLivy stopping: ending its sessions and batches.").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        }, needsDags: false));
        return command;
    }

    private static string Banner(LocalLivyServer server, CliIo io) => string.Create(
        CultureInfo.InvariantCulture,
        $"LocalLivy on {server.BaseUrl}: Livy /sessions /batches, YARN /ws/v1/cluster, Spark /api/v1, WebHDFS /webhdfs/v1; " +
        $"jobs from {io.Display(server.JobsRoot)}, HDFS at {io.Display(server.HdfsRoot)}. Ctrl+C stops it.");
}
