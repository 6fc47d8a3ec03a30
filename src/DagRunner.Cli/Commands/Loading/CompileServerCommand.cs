using System.CommandLine;

namespace DagRunner.Cli.Commands.Loading;

/// <summary><c>compile-server stop</c>: ends the compile server that DagRunner starts for the commands after the
/// first (it ends by itself after 10 idle minutes), as <c>dotnet build-server shutdown</c> does for builds.</summary>
internal static class CompileServerCommand
{
    public static Command Create(CliContext context)
    {
        var stop = new Command("stop", "Stop this DagRunner build's compile server, if one runs");
        stop.SetAction(async (parse, ct) =>
        {
            var stopped = await Hosting.Loading.CompileServerCommand.StopAsync(ct).ConfigureAwait(false);
            await context.Io.Out.WriteLineAsync(stopped ? "Stopped the compile server." : "No compile server was running.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return new Command("compile-server", "The long-running process that keeps a warm C# compiler for DAG files (started when needed, ended after 10 idle minutes)") { stop };
    }
}
