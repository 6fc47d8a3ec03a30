using System.Collections.Immutable;
using DagRunner.Engine.Runs;

namespace DagRunner.Hosting.Runs;

// The web UI's durations chart: the last runs of a DAG with their task instances' times.
public sealed partial class RunReadModel
{
    /// <summary>The DAG's last <paramref name="count"/> runs, oldest first (as a chart reads left to
    /// right), each with its task instances by id; two queries whatever the DAG's history, conf secrets hidden.</summary>
    public async Task<IReadOnlyList<RunTimes>> RunTimesAsync(string dagId, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var runs = await store.LatestRunsAsync(dagId, count, cancellationToken).ConfigureAwait(false);
        if (runs.Count == 0)
            return [];
        var tasks = (await store.TaskInstancesOfRunsAsync(dagId, [.. runs.Select(r => r.RunId)], cancellationToken).ConfigureAwait(false)).ToLookup(t => t.RunId, StringComparer.Ordinal);
        return [.. runs.Reverse().Select(r => new RunTimes(Shown(r), tasks[r.RunId].OrderBy(t => t.TaskId, StringComparer.Ordinal).ToImmutableArray()))];
    }

    /// <summary>The DAG's run <paramref name="runId"/> (its latest run when null) with its task
    /// instances, and the DAG's last <paramref name="recent"/> runs to choose from (newest first);
    /// <see cref="RunStates.Run"/> is null when the DAG has no such run.</summary>
    public async Task<RunStates> RunStatesAsync(string dagId, string? runId, int recent, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(recent);
        var latest = await store.LatestRunsAsync(dagId, recent, cancellationToken).ConfigureAwait(false);
        var run = runId is null
            ? (latest.Count > 0 ? latest[0] : null)
            : latest.FirstOrDefault(r => r.RunId == runId) ?? await store.FindRunAsync(dagId, runId, cancellationToken).ConfigureAwait(false);
        var tasks = run is null ? [] : await store.TaskInstancesAsync(dagId, run.RunId, cancellationToken).ConfigureAwait(false);
        return new RunStates(run is null ? null : Shown(run), [.. tasks], [.. latest.Select(Shown)]);
    }
}

/// <summary>A run with its task instances, for a chart of durations.</summary>
/// <param name="Run">The run (conf secrets hidden).</param>
/// <param name="Tasks">Its task instances, by task id.</param>
public sealed record RunTimes(DagRun Run, ImmutableArray<TaskInstance> Tasks)
{
    /// <summary>How long the run took, from its first task's start to its end; null until it started and ended.</summary>
    public TimeSpan? Duration => Run is { StartedAt: { } start, EndedAt: { } end } ? end - start : null;
}

/// <summary>One run of a DAG with its task instances, and the DAG's recent runs.</summary>
/// <param name="Run">The run asked for (the latest when none was named), or null when there is none.</param>
/// <param name="Tasks">Its task instances (empty without a run).</param>
/// <param name="Recent">The DAG's recent runs, newest first.</param>
public sealed record RunStates(DagRun? Run, ImmutableArray<TaskInstance> Tasks, ImmutableArray<DagRun> Recent);
