using DagRunner.Clients.Connections;
using DagRunner.Clients.Emr;
using DagRunner.Clients.Http;
using DagRunner.Operators.Remote;

namespace DagRunner.Operators.Emr;

/// <summary>What a timeout, a cancellation or a lost EMR leaves running is stopped: the steps are cancelled in
/// EMR (<c>CancelSteps</c>), and the Spark steps' apps killed in YARN (spark-submit in cluster mode leaves its app
/// running when its step is interrupted).</summary>
internal sealed partial class EmrStepsRun
{
    private async Task CleanUpAsync()
    {
        if (_handle is not { } handle)
            return;
        using var budget = new CancellationTokenSource(task.CleanupTimeout, clients.Time);
        try
        {
            await CancelStepsAsync(handle, budget.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EmrException or ConnectionException or OperationCanceledException)
        {
            var why = e is OperationCanceledException ? $"it took longer than {RestTransport.Seconds(task.CleanupTimeout)} ({nameof(EmrAddStepsOperator)}.{nameof(EmrAddStepsOperator.CleanupTimeout)})" : e.Message;
            _log.WriteLine($"Could not cancel {Steps()} in EMR: {why}. Cancel them by hand (aws emr cancel-steps --cluster-id {handle.ClusterId} --step-ids ...).");
        }

        if (clients.IsConfigured(_yarnConnectionId) && _handle!.Steps.Any(s => s.Tag is not null))
            await KillInYarnAsync(budget.Token).ConfigureAwait(false);
    }

    private async Task CancelStepsAsync(EmrStepsHandle handle, CancellationToken cancellationToken)
    {
        if (handle.Steps.Any(s => s.StepId is null))
        {
            // The answer to AddJobFlowSteps never came: the steps are found by name, if EMR added them.
            var found = await ListByNameAsync(handle.ClusterId, [.. handle.Steps.Select(s => s.Name)], cancellationToken).ConfigureAwait(false);
            _handle = handle = handle with { Steps = [.. handle.Steps.Select(s => s.StepId is null && found.TryGetValue(s.Name, out var step) ? s with { StepId = step.Id } : s)] };
        }

        var live = handle.Steps.Where(s => s.StepId is not null && !(s.State is { } state && IsTerminal(state))).Select(s => s.StepId!).ToList();
        if (live.Count == 0)
        {
            _log.WriteLine($"No step of this attempt is left pending or running on cluster {handle.ClusterId}: nothing to cancel in EMR.");
            return;
        }

        var answers = await Emr.CancelStepsAsync(handle.ClusterId, live, cancellationToken).ConfigureAwait(false);
        foreach (var id in live)
        {
            var answer = answers.FirstOrDefault(a => a.StepId == id);
            _log.WriteLine(answer is { Status: "SUBMITTED" }
                ? $"Asked EMR to cancel step {id}."
                : $"EMR did not cancel step {id}: {answer?.Reason ?? answer?.Status ?? "no answer for it"}.");
        }
    }

    private async Task KillInYarnAsync(CancellationToken cancellationToken)
    {
        var yarn = clients.Yarn(_yarnConnectionId);
        foreach (var step in _handle!.Steps.Where(s => s.Tag is not null))
        {
            try
            {
                await YarnKill.KillAsync(yarn, step.AppId, step.Tag!, _log, $" (step {step.StepId})", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RemoteApiException or OperationCanceledException or ConnectionException)
            {
                var why = e is OperationCanceledException ? $"it took longer than {RestTransport.Seconds(task.CleanupTimeout)}" : e.Message;
                _log.WriteLine($"The app of step {step.StepId} (tag {step.Tag}) could not be killed in YARN: {why}. Kill it by hand (yarn application -kill).");
            }
        }
    }
}
