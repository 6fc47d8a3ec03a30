using System.CommandLine;
using System.Globalization;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;

namespace DagRunner.Cli.Output;

/// <summary>What the commands that change runs by hand (<c>tasks clear</c>, <c>tasks mark</c>, <c>dags mark</c>)
/// share: the run they name, their <c>--date</c> and <c>--state</c> options, and how a result is said.</summary>
internal static class RunEditText
{
    public static Option<DateTimeOffset?> DateOption() =>
        RunArguments.DateOption(description: "The run's logical date: 2026-11-20 or an ISO 8601 date-time (default: the DAG's latest run)");

    public static Option<string> StateOption(string what)
    {
        var state = new Option<string>("--state") { Description = $"What to mark {what}: success or failed", Required = true };
        state.AcceptOnlyFromAmong("success", "failed");
        return state;
    }

    /// <summary>The run of <paramref name="date"/> (the latest when null), or null after saying there is none.</summary>
    public static async Task<DagRun?> FindRunAsync(CliSession session, DagDefinition dag, DateTimeOffset? date, CancellationToken cancellationToken)
    {
        if (await session.Actions.FindRunAsync(dag.DagId, date, cancellationToken).ConfigureAwait(false) is { } run)
            return run;
        var none = date is { } day
            ? string.Create(CultureInfo.InvariantCulture, $"error: DAG '{dag.DagId}' has no run of logical date {day.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z.")
            : $"error: DAG '{dag.DagId}' has no runs.";
        await session.Io.Error.WriteLineAsync(none).ConfigureAwait(false);
        return null;
    }

    /// <summary>Says what was done (exit 0), or why nothing was: a refusal by the store's rules or an unknown id (exit 2).</summary>
    public static async Task<int> WriteAsync(CliSession session, RunEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        if (edit.Outcome == RunEditOutcome.Done)
        {
            await session.Io.Out.WriteLineAsync(edit.Message).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await session.Io.Error.WriteLineAsync($"error: {edit.Message}").ConfigureAwait(false);
        return ExitCodes.Usage;
    }
}
