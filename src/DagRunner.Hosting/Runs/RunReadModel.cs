using System.Collections.Immutable;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Storage;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Livy.Session;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Runs;

/// <summary>
/// What the run store knows about runs, as records a front end formats: <c>dags state</c> today, the
/// web UI next. Reading a run also makes its secret conf entries known to the process's
/// <see cref="SecretMasker"/> (the store keeps the conf as given), so whatever shows it hides them.
/// </summary>
public sealed class RunReadModel(IRunStore store, CheckpointStore checkpoints, SecretMasker secrets)
{
    /// <summary>The DAG's run of <paramref name="logicalDate"/>, or its latest run when no date is given.</summary>
    public async Task<RunViewResult> FindRunAsync(string dagId, DateTimeOffset? logicalDate, CancellationToken cancellationToken)
    {
        var runs = await store.ListRunsAsync(dagId, null, cancellationToken).ConfigureAwait(false);
        var run = logicalDate is { } day ? runs.FirstOrDefault(r => r.LogicalDate == day) : runs.Count > 0 ? runs[0] : null;
        if (run is null)
            return new RunViewResult(null, runs.Count > 0);

        secrets.AddSecretsOf(TaskContexts.ConfOf(run.Conf).ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal));
        var tasks = await store.TaskInstancesAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false);
        var attempts = (await store.AttemptsAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false)).ToLookup(a => a.TaskId, StringComparer.Ordinal);
        var views = ImmutableArray.CreateBuilder<TaskView>(tasks.Count);
        foreach (var task in tasks.OrderBy(t => t.StartedAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.TaskId, StringComparer.Ordinal))
        {
            // The handles as the operators recorded them (a batch's or a session's) through the attempt's checkpoint.
            var checkpoint = checkpoints.For(task.DagId, task.RunId, task.TaskId, task.TryNumber);
            object? handle = await checkpoint.LoadAsync<LivyBatchHandle>(LivyBatchHandle.Kind, cancellationToken).ConfigureAwait(false)
                ?? (object?)await checkpoint.LoadAsync<LivySessionHandle>(LivySessionHandle.Kind, cancellationToken).ConfigureAwait(false);
            views.Add(new TaskView(task, handle, Summary(handle), [.. attempts[task.TaskId]]));
        }

        return new RunViewResult(new RunView(run, views.MoveToImmutable()), true);
    }

    private static string Summary(object? handle) => handle switch
    {
        LivyBatchHandle batch => $"batch {batch.BatchId} app {batch.AppId ?? "?"}" + (batch.Verdict == LivyBatchHandle.Unknown ? ", verdict unknown" : ""),
        LivySessionHandle session => $"session {session.SessionId}, {session.Outputs.Count} statement(s) done",
        _ => "-",
    };
}
