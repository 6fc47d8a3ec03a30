using System.CommandLine;
using DagRunner.Web;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Cli.Commands.Web;

/// <summary><c>web [--port 8080] [--host 127.0.0.1]</c>: the web UI's JSON API over the home and DAGs folder in
/// force (beside a scheduler in another process, or none), until Ctrl+C.</summary>
internal static class WebCommand
{
    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => 8080 };
        var host = new Option<string>("--host") { Description = "Address to listen on; loopback only for now (default 127.0.0.1)", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("web", "Serve the web UI's JSON API (/api/dags) until Ctrl+C; pages come next") { port, host };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            try
            {
                await session.StartAsync(ct).ConfigureAwait(false);
            }
            catch (WebUiException e)
            {
                throw new UsageException(e.Message);
            }

            var url = session.Services.GetRequiredService<WebUiService>().Url;
            await session.Io.Out.WriteLineAsync($"Web UI API at {url}api/dags (DAGs from {session.Io.Display(session.Settings.DagsFolder)}, state in {session.Io.Display(session.Settings.Home)}). Ctrl+C stops it.").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.Signals.Stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.Signals.Stop.IsCancellationRequested)
            {
                // Ctrl+C: stop serving.
            }

            await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Success;
        }, hosted: services => services.AddWebUi(new WebOptions { Host = parse.GetValue(host)!, Port = parse.GetValue(port) })));
        return command;
    }
}
