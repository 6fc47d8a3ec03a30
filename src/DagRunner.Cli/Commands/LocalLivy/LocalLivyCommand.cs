using System.CommandLine;
using System.Globalization;
using DagRunner.Hosting.LocalLivy;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Cli.Commands.LocalLivy;

/// <summary><c>local-livy</c>: the embedded LocalLivy on its own (a host with its <see cref="LocalLivyService"/>), until Ctrl+C.</summary>
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
            try
            {
                await session.StartAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or IOException)
            {
                throw new UsageException($"LocalLivy cannot start: {e.Message}");
            }

            await session.Io.Out.WriteLineAsync(Banner(session.Services.GetRequiredService<LocalLivyService>().Served!, session.Io)).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await session.Io.Out.WriteLineAsync("LocalLivy stopping: ending its sessions and batches.").ConfigureAwait(false);
            }

            await session.StopAsync(context.Signals.Cancel).ConfigureAwait(false);
            return ExitCodes.Success;
        }, needsDags: false, hosted: services => services.AddLocalLivy(new LocalLivyServing
        {
            Port = parse.GetValue(port),
            JobsRoot = FullPath(parse.GetValue(jobsRoot)),
            HdfsRoot = FullPath(parse.GetValue(hdfsRoot)),
            HdfsSeed = FullPath(parse.GetValue(hdfsSeed)),
            Recovery = parse.GetValue(recovery),
            CsrfProtection = !parse.GetValue(noCsrf),
            ClusterModeQuirk = parse.GetValue(quirk),
            StateRetention = parse.GetValue(retention) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            FaultLatency = parse.GetValue(latency) is { } ms ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero,
            FaultErrorRate = parse.GetValue(errorRate) ?? 0,
        })));
        return command;

        string? FullPath(string? path) => path is null ? null : Path.GetFullPath(path, context.Io.CurrentDirectory);
    }

    private static string Banner(LocalLivyServed server, CliIo io) => string.Create(
        CultureInfo.InvariantCulture,
        $"LocalLivy on {server.BaseUrl}: Livy /sessions /batches, YARN /ws/v1/cluster, Spark /api/v1, WebHDFS /webhdfs/v1; " +
        $"jobs from {io.Display(server.JobsRoot)}, HDFS at {io.Display(server.HdfsRoot)}. Ctrl+C stops it.");
}
