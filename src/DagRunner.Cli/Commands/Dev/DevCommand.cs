using System.CommandLine;
using DagRunner.Hosting.Dev;

namespace DagRunner.Cli.Commands.Dev;

/// <summary>
/// <c>dev</c>: watches the DAGs and templates folders and answers every save (see <see cref="DevLoop"/>);
/// with <c>--run</c>, runs a DAG again after every good save (see <see cref="DevRuns"/>). This command is
/// the terminal around them: what it prints (<see cref="DevOutput"/>) and the keys it reads (<see cref="DevKeys"/>).
/// </summary>
internal static class DevCommand
{
    public static Command Create(CliContext context)
    {
        var quiet = new Option<int?>("--quiet-ms") { Description = "How long the folders must be quiet after a save before it is checked (default 100)" };
        var runDag = new Option<string?>("--run") { Description = "Run this DAG (dags test) at the start and again after every good save, cancelling a run still going; in a terminal, r runs it again and q quits" };
        var warm = new Option<bool>("--warm") { Description = "With --run: keep each session task's Livy session between runs and run only the statements from the first one whose rendered code changed" };
        var command = new Command("dev", "Watch the DAGs and templates folders and show, on every save, its errors or what it changed") { quiet, runDag, warm };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var io = session.Io;
            var settings = session.Settings;
            if (parse.GetValue(warm) && parse.GetValue(runDag) is null)
            {
                await io.Error.WriteLineAsync("--warm keeps the sessions of the DAG that --run runs: give --run DAG too.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var output = new DevOutput(io);
            using var batcher = new SaveBatcher(session.Time, parse.GetValue(quiet) is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
            // Watching starts before the first load, so a save made while it runs is not missed.
            using var dags = FolderWatch.Start(settings.DagsFolder, batcher, output.LostEvents);
            using var templates = FolderWatch.Start(settings.TemplatesFolder, batcher, output.LostEvents);
            var loop = new DevLoop(session.Catalog, new StatementPreviews(session.Time, session.Services));
            await loop.StartAsync(ct).ConfigureAwait(false);
            await output.WatchingAsync(io.Display(settings.DagsFolder) + (templates.Watching ? $" and {io.Display(settings.TemplatesFolder)}" : ""), loop).ConfigureAwait(false);
            using var quit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await using var runner = parse.GetValue(runDag) is { } dagId
                ? new DevRuns(session.Services, dagId, loop.Loaded, parse.GetValue(warm), new DevRunOutput(io), quit.Token)
                : null;
            if (runner is not null)
            {
                await DevKeys.StartAsync(io, runner, parse.GetValue(runDag)!, parse.GetValue(warm), quit).ConfigureAwait(false);
                await runner.StartAsync().ConfigureAwait(false);
            }

            try
            {
                await loop.RunAsync(batcher, output.AnswerAsync, runner is null ? null : runner.RestartAsync, quit.Token, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (quit.IsCancellationRequested)
            {
                await io.Out.WriteLineAsync("Stopped watching.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
