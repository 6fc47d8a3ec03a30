using DagRunner.Clients.Emr;
using DagRunner.Clients.Http;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Sdk;

namespace DagRunner.Operators.Emr;

/// <summary>Following the steps in EMR until each has ended (their apps found in YARN by tag on the way), then
/// weighing what EMR, YARN and Spark say of each.</summary>
internal sealed partial class EmrStepsRun
{
    // A Spark step's app is looked for in YARN (by its tag) when YARN or Spark is asked about it.
    private bool FindsApps => task.VerifyIn != VerifyIn.None;

    // Checked before anything is added: steps that cannot be verified as asked must not run (and run again on retry).
    // The clients are built here too, so a malformed connection fails now rather than once the steps run.
    private void CheckVerifiable()
    {
        if (!FindsApps)
            return;
        if (!clients.IsConfigured(_yarnConnectionId))
            throw new TaskFailedException($"{nameof(EmrAddStepsOperator)}.{nameof(EmrAddStepsOperator.VerifyIn)} is {task.VerifyIn}, but the connection '{_yarnConnectionId}' is not configured: configure the cluster's ResourceManager (its primary node, port 8088), which also finds each step's app by its tag, or set VerifyIn = VerifyIn.None (then EMR's step state decides). Nothing was added.");
        _ = clients.Yarn(_yarnConnectionId);
        if (!task.VerifyIn.HasFlag(VerifyIn.Spark))
            return;
        if (!clients.IsConfigured(_sparkConnectionId))
            throw new TaskFailedException($"{nameof(EmrAddStepsOperator)}.{nameof(EmrAddStepsOperator.VerifyIn)} includes Spark, but the connection '{_sparkConnectionId}' is not configured: configure the Spark history server (the primary node, port 18080). Nothing was added.");
        _ = clients.Spark(_sparkConnectionId);
    }

    // Polls DescribeStep for each step that has not ended, saying each change of state; a Spark step's app is
    // looked up in YARN by its tag once the step runs, and recorded. EMR unreachable is waited out until
    // UnreachableTimeout.
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        var poll = new AdaptivePoll(task.PollInterval);
        var unreachable = new UnreachableWatch(clients.Time, task.UnreachableTimeout, $"{nameof(EmrAddStepsOperator)}.{nameof(EmrAddStepsOperator.UnreachableTimeout)}");
        while (true)
        {
            var changed = false;
            var answered = true;
            var steps = _handle!.Steps.ToList();
            for (var i = 0; i < steps.Count; i++)
            {
                var record = steps[i];
                if (record.State is { } known && IsTerminal(known) && _described.ContainsKey(record.StepId!))
                    continue;
                EmrStep step;
                try
                {
                    step = await Emr.DescribeStepAsync(_handle.ClusterId, record.StepId!, cancellationToken).ConfigureAwait(false);
                    unreachable.Reached();
                }
                catch (EmrException e) when (e.IsThrottled || e.CouldNotBeAsked)
                {
                    unreachable.Failed(e, $"EMR at {Emr.Endpoint}", $"while following step {record.StepId}");
                    _log.WriteLine($"Could not ask EMR about step {record.StepId} ({e.Message}); trying again.");
                    answered = false;
                    break;
                }

                _described[step.Id] = step;
                if (step.Status.State != record.State)
                {
                    _log.WriteLine($"[dagrunner] EMR: step {step.Id} ({record.Name}) is {step.Status.State}.");
                    record = record with { State = step.Status.State };
                    changed = true;
                }

                if (record.Tag is { } tag && record.AppId is null && step.Status.State != "PENDING" && FindsApps
                    && await FindAppAsync(tag, cancellationToken).ConfigureAwait(false) is { } app)
                {
                    record = record with { AppId = app };
                    changed = true;
                    _log.WriteLine($"[dagrunner] YARN: step {step.Id} runs app {app} (tag {tag}): recorded.");
                }

                steps[i] = record;
            }

            if (changed)
            {
                _handle = _handle with { Steps = steps };
                await SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            if (answered && steps.All(s => s.State is { } state && IsTerminal(state)))
                return;
            await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The app carrying a step's tag; null when YARN shows none yet or cannot be asked (asked again at the next poll,
    // and by the verdict).
    private async Task<string?> FindAppAsync(string tag, CancellationToken cancellationToken)
    {
        try
        {
            var tagged = await clients.Yarn(_yarnConnectionId).FindAppsByTagAsync(tag, cancellationToken).ConfigureAwait(false);
            return tagged.Count > 0 ? tagged[0].Id : null;
        }
        catch (RemoteApiException)
        {
            return null;
        }
    }

    // Each step's outcome on evidence: EMR's state (with its failure details), and for a Spark step YARN's and
    // Spark's when asked. The verdicts are recorded with the handle; success is the task's output.
    private async Task<object?> VerifyAsync(CancellationToken cancellationToken)
    {
        if (!FindsApps && _handle!.Steps.Any(s => s.Tag is not null))
            _log.WriteLine($"{nameof(EmrAddStepsOperator.VerifyIn)} is None: EMR's step state decides (VerifyIn.Yarn, with '{_yarnConnectionId}' at the cluster's ResourceManager, checks YARN too).");
        var logUri = await LogUriAsync(cancellationToken).ConfigureAwait(false);
        var verifier = new OutcomeVerifier(clients.Time, _log, task.VerifyTimeout);
        var steps = new List<EmrStepRecord>();
        var verdicts = new List<(EmrStepRecord Step, Verdict Verdict, List<Evidence> Evidence)>();
        foreach (var record in _handle!.Steps)
        {
            var described = _described.GetValueOrDefault(record.StepId!);
            var evidence = new List<Evidence> { EmrEvidence(record, described) };
            if (record.Tag is { } tag)
            {
                if (task.VerifyIn.HasFlag(VerifyIn.Yarn))
                    evidence.Add(await verifier.YarnAsync(clients.Yarn(_yarnConnectionId), record.AppId, tag, cancellationToken).ConfigureAwait(false));
                if (task.VerifyIn.HasFlag(VerifyIn.Spark))
                    evidence.Add(await verifier.SparkAsync(clients.Spark(_sparkConnectionId), record.AppId ?? await FindAppAsync(tag, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false));
            }

            _log.WriteLine($"Outcome of step {record.StepId} ({record.Name}):");
            var verdict = verifier.Decide(evidence);
            if (described?.Status.FailureDetails is { } details)
                _log.WriteLine($"  EMR's failure details: {details.Reason ?? "(no reason)"}: {details.Message ?? "(no message)"}" + (details.LogFile is { } file ? $" (from {file})" : ""));
            if (logUri is not null)
                _log.WriteLine($"  Step logs: {StepLogs(logUri, record.StepId!)} (controller.gz, stderr.gz, stdout.gz; EMR uploads them every few minutes)");
            var recorded = record with { Evidence = [.. evidence.Select(e => new SourceEvidence(e.Source, e.Verdict.ToString().ToLowerInvariant(), e.Said))] };
            steps.Add(recorded);
            verdicts.Add((recorded, verdict, evidence));
        }

        var overall = verdicts.Any(v => v.Verdict == Verdict.Failed) ? Verdict.Failed
            : verdicts.Any(v => v.Verdict == Verdict.Unknown) ? Verdict.Unknown
            : Verdict.Succeeded;
        _handle = _handle with { Steps = steps, Verdict = overall.ToString().ToLowerInvariant(), LogUri = logUri };
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        if (overall == Verdict.Succeeded)
            return _handle.ToOutput();
        if (overall == Verdict.Unknown)
        {
            throw new EmrStepVerdictUnknownException($"{Steps()}: verdict unknown: " +
                string.Join("; ", verdicts.SelectMany(v => v.Evidence.Where(e => e.Verdict == Verdict.Unknown).Select(e => $"step {v.Step.StepId}: {e.Source} at {e.Where} {e.Said}"))) +
                ". No source says a step failed, so a retry asks about the steps again instead of adding them again.");
        }

        throw new EmrStepFailedException(string.Join(" ", verdicts.Where(v => v.Verdict == Verdict.Failed).Select(v =>
            $"Step {v.Step.StepId} ({v.Step.Name}) did not succeed: " +
            string.Join("; ", v.Evidence.Where(e => e.Verdict == Verdict.Failed).Select(e => $"{e.Source}: {e.Said}")) + ".")));
    }

    private static Evidence EmrEvidence(EmrStepRecord record, EmrStep? described)
    {
        var state = described?.Status.State ?? record.State ?? "unknown";
        if (state == "COMPLETED")
            return new Evidence("EMR", true, "COMPLETED");
        var said = state;
        if (described?.Status.StateChangeReason is { Message: { Length: > 0 } reason })
            said += $", {reason}";
        if (described?.Status.FailureDetails is { } details)
            said += $", {details.Reason ?? "failed"}" + (details.Message is { Length: > 0 } message && message != details.Reason ? $": {message}" : "");
        return new Evidence("EMR", false, said);
    }

    // The cluster's log folder (LogUri), for links to the steps' logs; null when it has none or EMR cannot say.
    private async Task<string?> LogUriAsync(CancellationToken cancellationToken)
    {
        try
        {
            var cluster = await Emr.DescribeClusterAsync(_handle!.ClusterId, cancellationToken).ConfigureAwait(false);
            return cluster.LogUri is { Length: > 0 } uri ? uri : null;
        }
        catch (EmrException e)
        {
            _log.WriteLine($"Could not ask EMR for cluster {_handle!.ClusterId}'s log folder ({e.Message}): the steps' logs are not linked.");
            return null;
        }
    }

    /// <summary>Where EMR uploads a step's logs: <c>&lt;LogUri&gt;/&lt;cluster&gt;/steps/&lt;step&gt;/</c>.</summary>
    internal static string StepLogs(string logUri, string clusterId, string stepId) => $"{logUri.TrimEnd('/')}/{clusterId}/steps/{stepId}/";

    private string StepLogs(string logUri, string stepId) => StepLogs(logUri, _handle!.ClusterId, stepId);

    private static bool IsTerminal(string state) => EmrStepStatus.IsFinal(state);
}
