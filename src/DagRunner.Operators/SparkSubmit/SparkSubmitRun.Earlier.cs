using DagRunner.Clients.Yarn;

namespace DagRunner.Operators.SparkSubmit;

/// <summary>An app submitted by an earlier runner of this attempt (it was killed or restarted) or by the
/// previous try whose outcome was never weighed: followed in YARN instead of submitted again.</summary>
internal sealed partial class SparkSubmitRun
{
    private sealed record Earlier(SparkSubmitHandle Handle, bool Own);

    // This attempt's handle when a runner of it got that far; otherwise the previous try's, when its
    // outcome was never weighed (or stayed unknown). Null when there is none: spark-submit runs.
    private async Task<Earlier?> EarlierAsync(CancellationToken cancellationToken)
    {
        if (await context.Checkpoint.LoadAsync<SparkSubmitHandle>(SparkSubmitHandle.Kind, cancellationToken).ConfigureAwait(false) is { } own)
            return new Earlier(own, true);
        return await context.Checkpoint.LoadPreviousAsync<SparkSubmitHandle>(SparkSubmitHandle.Kind, cancellationToken).ConfigureAwait(false) is
            { Verdict: null or SparkSubmitHandle.Submitting or SparkSubmitHandle.Unknown } previous
            ? new Earlier(previous, false)
            : null;
    }

    // The outcome of the earlier submission's app, followed in YARN; null when the evidence says nothing
    // was submitted, or (for the previous try's app) that it ended without success: only then does
    // spark-submit run.
    private async Task<object?> AdoptAsync(SparkSubmitHandle earlier, bool own, CancellationToken cancellationToken)
    {
        var whose = own ? "An earlier runner of this attempt" : "The previous try";
        _handle = earlier;
        switch (earlier.Verdict)
        {
            case "succeeded" when own:
                _log.WriteLine($"{whose} already saw app {earlier.AppId} succeed.");
                return earlier.ToOutput();
            case "failed" when own:
                throw new SparkSubmitFailedException($"App {earlier.AppId ?? "(tag " + earlier.Tag + ")"} did not succeed, as an earlier runner of this attempt found: " +
                    string.Join("; ", (earlier.Evidence ?? []).Select(e => $"{e.Source}: {e.Said}")));
            case SparkSubmitHandle.Unknown:
                return await ReverifyAsync(earlier, own, cancellationToken).ConfigureAwait(false);
        }

        _log.WriteLine($"{whose} ran spark-submit on {earlier.Host} (app {earlier.AppId ?? "not known"}, YARN tag {earlier.Tag}) and its outcome was never weighed: looking for its app in YARN before anything is submitted.");
        // Carried over under this attempt first: should this attempt fail while it looks (YARN or the host
        // unreachable), the next try still finds the submission to look for.
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        if (!HasYarn)
        {
            // Without a ResourceManager (VerifyIn without YARN) a recorded app cannot be followed: never run twice.
            if (earlier.AppId is not null)
                throw new SparkSubmitFailedException($"App {earlier.AppId} was submitted by {whose.ToLowerInvariant()}, and there is no YARN connection ('{_yarnConnectionId}') to follow it in: it is not submitted again. Configure the connection, or clear the task once the app has ended.");
            if (earlier.Host == host.Name && await host.StopEarlierAsync(earlier.Tag, cancellationToken).ConfigureAwait(false))
                _log.WriteLine($"Stopped the earlier spark-submit on {earlier.Host} (tag {earlier.Tag}).");
            _log.WriteLine($"No YARN connection ({_yarnConnectionId}) to look for its app in, and no app id was recorded: spark-submit runs again.");
            _handle = null;
            return null;
        }

        if (earlier.AppId is not null)
        {
            // A recorded app id proves it was submitted: followed (a YARN that forgot it is evidence for the
            // verdict, never a reason to submit again within this attempt).
            _handle = earlier with { Verdict = null };
            await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
            _log.WriteLine($"Following app {earlier.AppId} in YARN instead of submitting again; spark-submit's own output and exit code stay with the runner that started it.");
            return await FollowAndVerifyAsync(exitCode: null, cancellationToken).ConfigureAwait(false);
        }

        // No id was read: the tag tells whether it submitted. When YARN shows nothing yet, an earlier
        // spark-submit may still be starting (resolving packages, uploading jars) and submit later, so it is
        // stopped, and YARN asked again: only then is "nothing" the answer.
        var app = await FindAppAsync(null, earlier.Tag, cancellationToken).ConfigureAwait(false);
        if (app is null && earlier.Host == host.Name && await host.StopEarlierAsync(earlier.Tag, cancellationToken).ConfigureAwait(false))
        {
            _log.WriteLine($"Stopped the earlier spark-submit on {earlier.Host} (its command line holds tag {earlier.Tag}), which YARN showed no app of yet, so the job cannot run twice.");
            app = await FindAppAsync(null, earlier.Tag, cancellationToken).ConfigureAwait(false);
        }

        if (app is null)
        {
            _log.WriteLine($"YARN shows no app tagged {earlier.Tag}: none was submitted, so spark-submit runs.");
            _handle = null;
            return null;
        }

        if (!own && app.IsTerminal && app.FinalStatus != "SUCCEEDED")
        {
            _log.WriteLine($"App {app.Id} of the previous try ended {app.State}/{app.FinalStatus}: spark-submit runs again.");
            _handle = null;
            return null;
        }

        _handle = earlier with { AppId = app.Id, Verdict = null };
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"Found app {app.Id} ({app.State}): following it in YARN instead of submitting again; spark-submit's own output and exit code stay with the runner that started it.");
        return await FollowAndVerifyAsync(exitCode: null, cancellationToken).ConfigureAwait(false);
    }

    // The app by its id, or the first carrying the tag; null when YARN knows neither.
    private async Task<YarnApp?> FindAppAsync(string? appId, string tag, CancellationToken cancellationToken)
    {
        var yarn = clients.Yarn(_yarnConnectionId);
        if (appId is not null)
            return await yarn.GetAppAsync(appId, cancellationToken).ConfigureAwait(false);
        var tagged = await yarn.FindAppsByTagAsync(tag, cancellationToken).ConfigureAwait(false);
        return tagged.Count > 0 ? tagged[0] : null;
    }
}
