using System.Collections.Immutable;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Hosting.Runs;

// The grid's and the run page's reads: a bounded number of queries, whatever the history kept.
public sealed partial class RunReadModel
{
    /// <summary>The most runs a grid shows.</summary>
    public const int MaxGridRuns = 365;

    /// <summary>The DAG's latest <paramref name="runs"/> runs (1 to <see cref="MaxGridRuns"/>) with every
    /// task instance of them, in two store queries.</summary>
    public async Task<GridView> GridAsync(DagDefinition dag, int runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(runs, MaxGridRuns);
        var latest = await store.LatestRunsAsync(dag.DagId, runs, cancellationToken).ConfigureAwait(false);
        var tasks = await store.TaskInstancesOfRunsAsync(dag.DagId, [.. latest.Select(r => r.RunId)], cancellationToken).ConfigureAwait(false);
        var cells = new Dictionary<(string, string), TaskInstance>(tasks.Count);
        foreach (var task in tasks)
            cells[(task.RunId, task.TaskId)] = task;
        return new GridView(dag, [.. latest.Reverse().Select(Shown)], Rows(dag, tasks), cells);
    }

    /// <summary>Run <paramref name="runId"/> of <paramref name="dag"/> with its task instances, or null when it has no such run.</summary>
    public async Task<RunDetail?> RunAsync(DagDefinition dag, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(runId);
        if (await store.FindRunAsync(dag.DagId, runId, cancellationToken).ConfigureAwait(false) is not { } run)
            return null;
        var tasks = await store.TaskInstancesAsync(dag.DagId, runId, cancellationToken).ConfigureAwait(false);
        var byId = tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        return new RunDetail(Shown(run), [.. Rows(dag, tasks).Select(id => byId.GetValueOrDefault(id)).OfType<TaskInstance>()]);
    }

    // The DAG's tasks in dependency order, then the ids only stored instances have (removed tasks), by id.
    private static ImmutableArray<string> Rows(DagDefinition dag, IReadOnlyList<TaskInstance> tasks)
    {
        var known = dag.Tasks.Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);
        var removed = tasks.Select(t => t.TaskId).Where(id => !known.Contains(id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return [.. dag.Tasks.Select(t => t.TaskId), .. removed];
    }
}
