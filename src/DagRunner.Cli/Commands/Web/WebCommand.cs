using System.CommandLine;
using DagRunner.Hosting;
using DagRunner.Hosting.Configuration;
using DagRunner.Web;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Cli.Commands.Web;

/// <summary><c>web [--port 8080] [--host 127.0.0.1]</c>: the web UI (pages and <c>/api</c>) over the home and DAGs
/// folder in force (beside a scheduler in another process, or none), until Ctrl+C; and <c>web hash-password</c>.</summary>
internal static class WebCommand
{
    public static Command Create(CliContext context)
    {
        var port = PortOption("--port", "Port to listen on (default web.port in dagrunner.json, else 8080; 0 picks a free one)");
        var host = new Option<string?>("--host") { Description = "Address to listen on (default web.host, else 127.0.0.1); an address other than loopback needs a user in web.users" };
        var command = new Command("web", "Serve the web UI (the pages and /api) over the same home and DAGs folder as the scheduler, until Ctrl+C") { port, host };
        command.Add(HashPasswordCommand.Create(context));
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
            var signIn = session.Settings.Web.Users.IsDefaultOrEmpty ? "" : $"; sign-in required ({session.Settings.Web.Users.Length} user(s))";
            await session.Io.Out.WriteLineAsync($"Web UI at {url} (DAGs from {session.Io.Display(session.Settings.DagsFolder)}, state in {session.Io.Display(session.Settings.Home)}{signIn}). Ctrl+C stops it.").ConfigureAwait(false);
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
        }, hosted: services => services
            // Alone, the UI runs no task: it shows the definitions a run of each file left, and runs no DAG code
            // but a previewed DAG's file.
            .ReadDefinitionSnapshots()
            .AddWebUi(settings => Options(settings, parse.GetValue(host), parse.GetValue(port), "--port"))));
        return command;
    }

    /// <summary>The UI's options: <c>dagrunner.json</c>'s <c>web</c> section (and <c>DAGRUNNER_WEB_*</c>) with the command's flags over it.</summary>
    public static WebOptions Options(DagRunnerSettings settings, string? host, int? port, string portOption) =>
        WebOptions.From(settings.Web) with { Host = host ?? settings.Web.Host, Port = port ?? settings.Web.Port, PortOption = portOption };

    /// <summary>A port flag: 0 to 65535, refused otherwise before anything starts.</summary>
    public static Option<int?> PortOption(string name, string description)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && value is < 0 or > 65_535)
                result.AddError($"{name}: {value} is not a port; give 0 to 65535 (0 picks a free one).");
        });
        return option;
    }
}
