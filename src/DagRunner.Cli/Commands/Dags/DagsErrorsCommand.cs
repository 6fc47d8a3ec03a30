using System.CommandLine;
using DagRunner.Cli.Output;

namespace DagRunner.Cli.Commands.Dags;

/// <summary><c>dags errors</c>: import errors only, as <c>file:line:col: message</c>; exit 3 when there are any.</summary>
internal static class DagsErrorsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("errors", "Show DAG import errors as file:line:col: message (exit code 3 when there are any)");
        command.SetAction((parse, ct) => context.RunShowingDagsAsync(parse, async session =>
        {
            var loaded = await session.Catalog.LoadAsync(ct).ConfigureAwait(false);
            var io = session.Io;
            foreach (var error in loaded.Errors)
            {
                await io.Out.WriteLineAsync(ImportErrorText.Line(error, io)).ConfigureAwait(false);

                // In a terminal, show the line itself with a marker, as compilers do; pipes get one line per error.
                if (io.IsTerminal)
                {
                    foreach (var line in ImportErrorText.Excerpt(error))
                    {
                        await io.Out.WriteLineAsync(line).ConfigureAwait(false);
                    }
                }

                if (session.Verbose && error.Detail is { } detail)
                {
                    await io.Out.WriteLineAsync(detail).ConfigureAwait(false);
                }
            }

            if (loaded.Errors.IsEmpty)
            {
                await io.Error.WriteLineAsync($"No import errors in {loaded.FileCount} DAG file(s).").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            return ExitCodes.ImportErrors;
        }));
        return command;
    }
}
