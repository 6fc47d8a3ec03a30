using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.Clients.Yarn;
using DagRunner.Sdk;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>The outcome of a batch: weighed from every source's evidence, recorded with the handle,
/// asked again by the next try when it stayed unknown, and asked of YARN when Livy forgot the batch.</summary>
internal sealed partial class LivyBatchRun
{
    private bool HasYarn
    {
        get
        {
            try
            {
                _ = clients.Yarn(_yarnConnectionId);
                return true;
            }
            catch (ConnectionException)
            {
                return false;
            }
        }
    }

    private async Task<object?> VerifyAsync(LivyBatch final, CancellationToken cancellationToken)
    {
        var handle = _handle!;
        var verifier = new OutcomeVerifier(clients.Time, _log, task.VerifyTimeout);
        var evidence = new List<Evidence> { new("Livy", final.State == LivyStates.Success, final.State) };
        if (task.VerifyIn.HasFlag(VerifyIn.Yarn))
            evidence.Add(await verifier.YarnAsync(clients.Yarn(_yarnConnectionId), handle.AppId, handle.Tag, cancellationToken).ConfigureAwait(false));
        if (task.VerifyIn.HasFlag(VerifyIn.Spark))
            evidence.Add(await verifier.SparkAsync(clients.Spark(_sparkConnectionId), handle.AppId, cancellationToken).ConfigureAwait(false));

        _log.WriteLine($"Outcome of batch {handle.BatchId}:");
        return await ConcludeAsync(verifier, evidence, final.State, $"Batch {handle.BatchId} ({handle.Name})", cancellationToken).ConfigureAwait(false);
    }

    // Livy forgot the batch (retention, a restart without recovery), but its app may have run, or
    // still run, in YARN: find it by the attempt's tag. Null when there is no ResourceManager to ask
    // or no app carries the tag, and only then is the job submitted again.
    private async Task<YarnApp?> FindInYarnAsync(string tag, CancellationToken cancellationToken)
    {
        try
        {
            var apps = await clients.Yarn(_yarnConnectionId).FindAppsByTagAsync(tag, cancellationToken).ConfigureAwait(false);
            return apps.Count > 0 ? apps[0] : null;
        }
        catch (ConnectionException)
        {
            return null;
        }
    }

    private async Task<object?> FollowInYarnAsync(LivyBatchHandle handle, CancellationToken cancellationToken)
    {
        _handle = handle;
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"Following app {handle.AppId} in YARN: Livy has forgotten batch {handle.BatchId} or cannot be asked about it, and submitting again would run the job twice.");
        var yarn = clients.Yarn(_yarnConnectionId);
        var poll = new AdaptivePoll(task.PollInterval);
        var unreachable = new UnreachableWatch(clients.Time, task.UnreachableTimeout, $"LivyBatchOperator.{nameof(LivyBatchOperator.UnreachableTimeout)}");
        while (true)
        {
            try
            {
                if (await yarn.GetAppAsync(handle.AppId!, cancellationToken).ConfigureAwait(false) is not { IsTerminal: false })
                    break;
                unreachable.Reached();
            }
            catch (RemoteApiException e)
            {
                unreachable.Failed(e, $"YARN at {yarn.Transport.Connection}", $"while following app {handle.AppId}");
                _log.WriteLine($"Could not ask YARN about app {handle.AppId} ({e.Message}); trying again.");
            }

            await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
        }

        return await VerifyForgottenAsync(handle, cancellationToken).ConfigureAwait(false);
    }

    private async Task<object?> VerifyForgottenAsync(LivyBatchHandle handle, CancellationToken cancellationToken)
    {
        var verifier = new OutcomeVerifier(clients.Time, _log, task.VerifyTimeout);
        var evidence = new List<Evidence> { await verifier.YarnAsync(clients.Yarn(_yarnConnectionId), handle.AppId, handle.Tag, cancellationToken).ConfigureAwait(false) };
        if (task.VerifyIn.HasFlag(VerifyIn.Spark))
            evidence.Add(await verifier.SparkAsync(clients.Spark(_sparkConnectionId), handle.AppId, cancellationToken).ConfigureAwait(false));
        _log.WriteLine($"Outcome of app {handle.AppId} (Livy forgot its batch):");
        return await ConcludeAsync(verifier, evidence, Forgotten, $"App {handle.AppId} of forgotten batch {handle.BatchId}", cancellationToken).ConfigureAwait(false);
    }

    private const string Forgotten = "forgotten";

    // The verdict is recorded with the handle; success is the task's output, a failure on evidence
    // says who said what, and an unknown verdict says which source could not be asked, for how long
    // and why, and leaves the app for the next try to ask about again.
    private async Task<object?> ConcludeAsync(OutcomeVerifier verifier, List<Evidence> evidence, string livyState, string what, CancellationToken cancellationToken)
    {
        var verdict = verifier.Decide(evidence);
        // Who said what is kept with the verdict: a front end shows it without reading the log.
        _handle = _handle! with
        {
            Verdict = verdict.ToString().ToLowerInvariant(),
            LivyState = livyState,
            Evidence = [.. evidence.Select(e => new SourceEvidence(e.Source, e.Verdict.ToString().ToLowerInvariant(), e.Said))],
        };
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        var handle = _handle;
        if (verdict == Verdict.Succeeded)
            return handle.ToOutput(livyState);
        if (verdict == Verdict.Unknown)
        {
            throw new LivyBatchVerdictUnknownException($"{what}: verdict unknown: " +
                string.Join("; ", evidence.Where(e => e.Verdict == Verdict.Unknown).Select(e => $"{e.Source} at {e.Where} {e.Said}")) +
                $". No source says it failed ({Sources(evidence)}), so a retry asks about app {handle.AppId ?? "(tagged " + handle.Tag + ")"} again instead of submitting the job again.");
        }

        var disagreement = evidence.Any(e => e.Verdict != Verdict.Failed) ? "the sources disagree" : "every source says it failed";
        throw new LivyBatchFailedException($"{what} did not succeed: {disagreement} ({Sources(evidence)}). " +
            string.Join("; ", evidence.Where(e => e.Verdict == Verdict.Failed).Select(e => $"{e.Source}: {e.Said}")));
    }

    private static string Sources(List<Evidence> evidence) =>
        string.Join(", ", evidence.Select(e => $"{e.Source} {OutcomeVerifier.Word(e.Verdict).ToLowerInvariant()}"));

    // The handle whose verdict stayed unknown: this attempt's (a runner restarted while asking again)
    // or the previous try's. Null when there is none, and the attempt goes on as usual.
    private async Task<LivyBatchHandle?> UnknownVerdictAsync(CancellationToken cancellationToken)
    {
        if (await LoadHandleAsync(cancellationToken).ConfigureAwait(false) is { } own)
            return own.Verdict == LivyBatchHandle.Unknown ? own : null;
        return await LoadPreviousHandleAsync(cancellationToken).ConfigureAwait(false) is { Verdict: LivyBatchHandle.Unknown } earlier ? earlier : null;
    }

    // Asks again about the app of a try whose verdict stayed unknown. Its outcome when the evidence
    // now says it succeeded (or throws again when it is still unknown); null when the evidence says it
    // failed, and only then is the job submitted again.
    private async Task<object?> ReverifyAsync(LivyBatchHandle unknown, CancellationToken cancellationToken)
    {
        _handle = unknown;
        // Recorded under this attempt first: a runner restarted meanwhile asks again too.
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"The verdict on batch {unknown.BatchId} ({unknown.Name}, app {unknown.AppId ?? "not known"}) was unknown: asking about it again instead of submitting the job again.");
        var verifier = new OutcomeVerifier(clients.Time, _log, task.VerifyTimeout);
        var evidence = new List<Evidence>();
        var forgotten = unknown.LivyState is null or Forgotten;
        if (!forgotten)
            evidence.Add(new("Livy", unknown.LivyState == LivyStates.Success, unknown.LivyState + " (as recorded)"));
        if (forgotten || task.VerifyIn.HasFlag(VerifyIn.Yarn))
            evidence.Add(await verifier.YarnAsync(clients.Yarn(_yarnConnectionId), unknown.AppId, unknown.Tag, cancellationToken).ConfigureAwait(false));
        if (task.VerifyIn.HasFlag(VerifyIn.Spark))
            evidence.Add(await verifier.SparkAsync(clients.Spark(_sparkConnectionId), unknown.AppId, cancellationToken).ConfigureAwait(false));
        _log.WriteLine($"Outcome of batch {unknown.BatchId}, asked again:");
        try
        {
            return await ConcludeAsync(verifier, evidence, unknown.LivyState ?? Forgotten, $"Batch {unknown.BatchId} ({unknown.Name})", cancellationToken).ConfigureAwait(false);
        }
        catch (LivyBatchFailedException e)
        {
            _log.WriteLine($"{e.Message}. The evidence says it failed, so the job is submitted again.");
            _handle = null;
            return null;
        }
    }
}
