using System.Collections.Immutable;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Operators.Remote;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Runs;

/// <summary>
/// What the run store knows about runs, as records a front end formats: <c>dags state</c> today, the
/// web UI next. Reading a run also makes its secret conf entries known to the process's
/// <see cref="SecretMasker"/> (the store keeps the conf as given), so whatever shows it hides them.
/// </summary>
public sealed partial class RunReadModel(IRunStore store, CheckpointStore checkpoints, SecretMasker secrets)
{
    private static readonly DagRunState[] Active = [DagRunState.Queued, DagRunState.Running];

    /// <summary>The DAG's run of <paramref name="logicalDate"/>, or its latest run when no date is given.</summary>
    public async Task<RunViewResult> FindRunAsync(string dagId, DateTimeOffset? logicalDate, CancellationToken cancellationToken)
    {
        var runs = await store.ListRunsAsync(dagId, null, cancellationToken).ConfigureAwait(false);
        var run = logicalDate is { } day ? runs.FirstOrDefault(r => r.LogicalDate == day) : runs.Count > 0 ? runs[0] : null;
        if (run is null)
            return new RunViewResult(null, runs.Count > 0);

        var shown = Shown(run);
        var tasks = await store.TaskInstancesAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false);
        var attempts = (await store.AttemptsAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false)).ToLookup(a => a.TaskId, StringComparer.Ordinal);
        var views = ImmutableArray.CreateBuilder<TaskView>(tasks.Count);
        foreach (var task in tasks.OrderBy(t => t.StartedAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.TaskId, StringComparer.Ordinal))
        {
            // The handle as the operator recorded it through the attempt's checkpoint; it says what it is.
            var checkpoint = checkpoints.For(task.DagId, task.RunId, task.TaskId, task.TryNumber);
            var handle = await RemoteHandleKinds.LoadAsync(checkpoints, checkpoint.AttemptKey, cancellationToken).ConfigureAwait(false);
            views.Add(new TaskView(task, handle, handle?.Describe() ?? "-", [.. attempts[task.TaskId]]));
        }

        return new RunViewResult(new RunView(shown, views.MoveToImmutable()), true);
    }

    /// <summary>The runs queued or running in the home, whoever runs them, each with its tasks counted by state.</summary>
    public async Task<IReadOnlyList<ActiveRunView>> ActiveRunsAsync(CancellationToken cancellationToken)
    {
        var runs = await store.ListRunsInStateAsync(Active, cancellationToken).ConfigureAwait(false);
        var views = new List<ActiveRunView>(runs.Count);
        foreach (var run in runs)
        {
            var tasks = await store.TaskInstancesAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false);
            views.Add(new ActiveRunView(
                run,
                Done: tasks.Count(t => t.State is TaskState.Success or TaskState.Skipped),
                Running: tasks.Count(t => t.State is TaskState.Running or TaskState.Queued or TaskState.UpForRetry),
                Failed: tasks.Count(t => t.State is TaskState.Failed or TaskState.UpstreamFailed),
                Total: tasks.Count));
        }

        return views;
    }

    /// <summary>The DAG's last <paramref name="count"/> runs (1 to <see cref="IRunStore.MaxListed"/>), newest
    /// first, their conf's secrets hidden; one store query.</summary>
    public async Task<IReadOnlyList<DagRun>> RecentRunsAsync(string dagId, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var runs = await store.LatestRunsAsync(dagId, count, cancellationToken).ConfigureAwait(false);
        return [.. runs.Select(Shown)];
    }

    // The store keeps a run's conf as given (a queued run needs it); what a front end gets has the
    // secret entries hidden, and the masker learns them, so whatever else shows them (a log, an error)
    // hides them too.
    private DagRun Shown(DagRun run)
    {
        secrets.AddSecretsOf(TaskContexts.ConfOf(run.Conf).ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal));
        return run with { Conf = SecretEntries.Hide(secrets.Mask(run.Conf) ?? run.Conf) };
    }

    /// <summary>The ids of the DAGs that are paused.</summary>
    public Task<IReadOnlySet<string>> PausedAsync(CancellationToken cancellationToken) => store.PausedAsync(cancellationToken);
}
