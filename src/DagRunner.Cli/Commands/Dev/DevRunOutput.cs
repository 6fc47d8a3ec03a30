using DagRunner.Cli.Output;
using DagRunner.Engine.Execution;
using DagRunner.Hosting.Dev;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Dev;

/// <summary>How <c>dev --run</c> shows its runs: the task lines of <c>dags test</c> and a line when a run ends.</summary>
internal sealed class DevRunOutput(CliIo io) : DevRunEvents
{
    public override DagRunObserver Observer() => new ConsoleRunObserver(io);

    public override void Starting(string dagId, string runId) =>
        io.Console.MarkupLine($"Running [bold]{Markup.Escape(dagId)}[/] ({Markup.Escape(runId)})");

    public override void Ended(string dagId, IReadOnlyList<string> failed) =>
        io.Out.WriteLine(failed.Count == 0 ? $"Run of {dagId}: success" : $"Run of {dagId}: failed ({string.Join(", ", failed)})");

    public override void Cancelled(string dagId) => io.Out.WriteLine($"Run of {dagId}: cancelled");

    public override void Broke(string dagId, Exception exception) => io.Error.WriteLine($"Run of {dagId} could not go on: {exception.Message}");

    public override void NotLoaded(string dagId) => io.Out.WriteLine($"  Not running {dagId}: it did not load.");

    public override void WarmSessionsDeleted(int count) => io.Out.WriteLine($"Deleted {count} warm session(s).");
}
