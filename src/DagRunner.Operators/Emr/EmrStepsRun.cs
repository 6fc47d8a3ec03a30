using DagRunner.Clients.Connections;
using DagRunner.Clients.Emr;
using DagRunner.Clients.Http;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators.Emr;

/// <summary>One attempt of an <see cref="EmrAddStepsOperator"/>: record the steps' names, add them once (found by
/// name after a lost answer), record their ids, follow them, decide each outcome on evidence, and cancel what a
/// timeout or a cancellation leaves running. Steps an earlier runner or try added are followed, never added twice.</summary>
internal sealed partial class EmrStepsRun(EmrAddStepsOperator task, RenderedTask fields, TaskContext context, RemoteClients clients)
{
    private readonly TextWriter _log = context.Log;
    private readonly string _awsConnectionId = fields.Text(nameof(EmrAddStepsOperator.AwsConnectionId))!;
    private readonly string _yarnConnectionId = fields.Text(nameof(EmrAddStepsOperator.YarnConnectionId))!;
    private readonly string _sparkConnectionId = fields.Text(nameof(EmrAddStepsOperator.SparkConnectionId))!;
    private readonly Dictionary<string, EmrStep> _described = new(StringComparer.Ordinal);
    private EmrStepsHandle? _handle;

    private EmrClient Emr => clients.Emr(_awsConnectionId);

    public async Task<object?> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await EarlierAsync(cancellationToken).ConfigureAwait(false) is { } earlier &&
                await AdoptAsync(earlier.Handle, earlier.Own, cancellationToken).ConfigureAwait(false) is { } adopted)
                return adopted;
            return await SubmitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A runner stopping gracefully leaves the steps running; their ids are recorded, so the next runner
            // follows them. A cancellation or a timeout stops them.
            if (context.DetachToken.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
                _log.WriteLine($"The runner is stopping: {Steps()} left running for the next runner to follow.");
            else
                await CleanUpAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is EmrException or RemoteApiException or ConnectionException && _handle is { Verdict: null })
        {
            // The steps could not be followed to the end: stopped rather than left beside the retry.
            await CleanUpAsync().ConfigureAwait(false);
            throw new TaskFailedException($"{Steps()} could not be followed: {e.Message}", e);
        }
    }

    private async Task<object?> SubmitAsync(CancellationToken cancellationToken)
    {
        var clusterId = fields.Text(nameof(EmrAddStepsOperator.JobFlowId));
        if (string.IsNullOrWhiteSpace(clusterId))
            throw new TaskFailedException($"Task '{task.TaskId}': {nameof(EmrAddStepsOperator)}.{nameof(EmrAddStepsOperator.JobFlowId)} is empty: set the cluster's id (j-...), e.g. {{{{ outputs.create_cluster.job_flow_id }}}}.");
        var plan = EmrStepPlan.Build(task, fields, context);
        CheckVerifiable();
        // Recorded before the call: a runner that dies while it waits for EMR's answer is followed by one that
        // looks for the steps by name before it adds anything.
        _handle = new EmrStepsHandle(clusterId, [.. plan.Select(p => new EmrStepRecord(p.Name, p.Tag))]);
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"Adding {(plan.Count == 1 ? "a step" : plan.Count + " steps")} to cluster {clusterId} ({Emr}):");
        foreach (var step in plan)
        {
            _log.WriteLine($"Step {step.Number}, {step.Name} (ActionOnFailure {step.Config.ActionOnFailure}):");
            // One WriteLine per line, so a front end that prefixes lines (the task id) prefixes each.
            foreach (var line in step.Shown.Split('\n'))
                _log.WriteLine("  " + line);
        }

        var ids = await AddAsync(clusterId, plan, cancellationToken).ConfigureAwait(false);
        _handle = _handle with { Steps = [.. _handle.Steps.Select((s, i) => s with { StepId = ids[i] })], Verdict = null };
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"[dagrunner] EMR added {string.Join(", ", _handle.Steps.Select(s => $"step {s.StepId} ({s.Name})"))}: recorded, so a retry or a restarted runner follows {(ids.Count == 1 ? "it" : "them")} instead of adding {(ids.Count == 1 ? "it" : "them")} again.");
        return await AfterAddedAsync(cancellationToken).ConfigureAwait(false);
    }

    // AddJobFlowSteps, sent once. Throttled (refused before anything was added): sent again after a pause. No answer,
    // or a server error: the steps may have been added, so they are looked for by name first, and added again only
    // when the cluster shows none of them.
    private async Task<IReadOnlyList<string>> AddAsync(string clusterId, IReadOnlyList<PlannedStep> plan, CancellationToken cancellationToken)
    {
        var configs = plan.Select(p => p.Config).ToList();
        var role = NullIfEmpty(fields.Text(nameof(EmrAddStepsOperator.ExecutionRoleArn)));
        Task<IReadOnlyList<string>> Add() =>
            EmrThrottled.SendAsync("AddJobFlowSteps", () => Emr.AddJobFlowStepsAsync(clusterId, configs, role, cancellationToken), _log, clients.Time, cancellationToken);
        try
        {
            return await Add().ConfigureAwait(false);
        }
        catch (EmrException e) when (e.MayHaveBeenCarriedOut)
        {
            _log.WriteLine($"EMR's answer to AddJobFlowSteps was lost ({e.Message}): looking for the steps by name before anything is added again.");
            var found = await FindByNameAsync(clusterId, [.. plan.Select(p => p.Name)], cancellationToken).ConfigureAwait(false);
            if (found.Count == plan.Count)
            {
                _log.WriteLine($"Found {string.Join(", ", plan.Select(p => $"step {found[p.Name].Id} ({p.Name})"))} on the cluster: EMR added {(plan.Count == 1 ? "it" : "them")}, so nothing is added again.");
                return [.. plan.Select(p => found[p.Name].Id)];
            }

            if (found.Count > 0)
                throw await GiveUpAsync(found, $"EMR's answer to AddJobFlowSteps was lost and cluster {clusterId} shows only {string.Join(", ", found.Values.Select(s => s.Id))} of the {plan.Count} steps: nothing is added again by this try (look at the cluster's steps; a retry or a cleared task adds its own).", cancellationToken).ConfigureAwait(false);
            _log.WriteLine($"Cluster {clusterId} shows none of the steps: EMR did not add them, so they are added now, once.");
            return await Add().ConfigureAwait(false);
        }
    }

    // Once the steps are added: followed to their end, or (WaitForCompletion = false) handed to a sensor.
    private async Task<object?> AfterAddedAsync(CancellationToken cancellationToken)
    {
        if (!task.WaitForCompletion)
        {
            _log.WriteLine($"{nameof(EmrAddStepsOperator.WaitForCompletion)} is false: the task ends here; an {nameof(EmrStepSensor)} can wait for {Steps()}.");
            _handle = _handle! with { Verdict = EmrStepsHandle.HandedOver };
            await SaveAsync(cancellationToken).ConfigureAwait(false);
            return _handle.ToOutput();
        }

        await FollowAsync(cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(cancellationToken).ConfigureAwait(false);
    }

    // Only some of the steps found by name, when EMR adds all or none: they are not followed, nor completed by this
    // attempt. Those found are cancelled (and their apps killed), so that nothing runs beside the steps a retry or a
    // cleared task adds; the handle is recorded as failed, so that it adds its own instead of meeting these again.
    private async Task<EmrStepFailedException> GiveUpAsync(Dictionary<string, EmrStep> found, string why, CancellationToken cancellationToken)
    {
        _handle = _handle! with { Steps = [.. _handle.Steps.Select(s => found.TryGetValue(s.Name, out var step) ? s with { StepId = step.Id, State = step.Status.State } : s)] };
        await CleanUpAsync().ConfigureAwait(false);
        _handle = _handle with { Verdict = "failed" };
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        return new EmrStepFailedException(why);
    }

    private Task SaveAsync(CancellationToken cancellationToken) =>
        _handle is { } handle ? context.Checkpoint.SaveAsync(EmrStepsHandle.Kind, handle, cancellationToken) : Task.CompletedTask;

    // "step s-1 (name) on j-2", for messages.
    private string Steps() => _handle is { } handle
        ? $"{(handle.Steps.Count == 1 ? "step" : "steps")} {string.Join(", ", handle.Steps.Select(s => (s.StepId ?? "?") + " (" + s.Name + ")"))} on cluster {handle.ClusterId}"
        : "the steps";

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
