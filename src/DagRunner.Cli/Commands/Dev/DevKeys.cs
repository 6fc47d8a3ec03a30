using DagRunner.Hosting.Dev;

namespace DagRunner.Cli.Commands.Dev;

/// <summary>The keys of <c>dev --run</c> in a terminal: <c>r</c> runs the DAG again (with <c>--warm</c>, in
/// fresh sessions), <c>q</c> quits.</summary>
internal static class DevKeys
{
    /// <summary>In a terminal with a keyboard, says which keys do what and starts reading them.</summary>
    public static async Task StartAsync(CliIo io, DevRuns runs, string dagId, bool warm, CancellationTokenSource quit)
    {
        if (!io.IsTerminal || Console.IsInputRedirected)
            return;
        await io.Out.WriteLineAsync(warm ? $"Keys: r runs {dagId} again in fresh sessions, q quits." : $"Keys: r runs {dagId} again, q quits.").ConfigureAwait(false);
        _ = Task.Run(() => Read(io, runs, quit), CancellationToken.None);
    }

    private static void Read(CliIo io, DevRuns runs, CancellationTokenSource quit)
    {
        while (!quit.IsCancellationRequested)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.KeyChar is 'q' or 'Q')
            {
                quit.Cancel();
                return;
            }

            if (key.KeyChar is 'r' or 'R')
                _ = RunFreshAsync(io, runs);
        }
    }

    private static async Task RunFreshAsync(CliIo io, DevRuns runs)
    {
        try
        {
            await runs.RunFreshAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await io.Error.WriteLineAsync($"r: {e.Message}").ConfigureAwait(false);
        }
    }
}
