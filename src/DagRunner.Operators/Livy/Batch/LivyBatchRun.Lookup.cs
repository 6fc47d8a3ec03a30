using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.Clients.Yarn;
using DagRunner.Sdk;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>Finding a batch whose <c>POST /batches</c> answer was lost: by its name in Livy and by its
/// attempt's tag in YARN. A source that cannot be reached is no evidence that nothing was created.</summary>
internal sealed partial class LivyBatchRun
{
    // What a lookup found: the batch in Livy, or its app in YARN (Livy could not be asked), or
    // neither, and then both sources said so (Livy a 404 on the name, YARN no app with the tag).
    private sealed record Located(LivyBatch? Batch, YarnApp? App)
    {
        public bool Nothing => Batch is null && App is null;
    }

    // Asks Livy (by name) and YARN (by tag) until one shows the batch, or both say there is none.
    // While either cannot be asked, asking goes on until UnreachableTimeout, which the failure names.
    private async Task<Located> LocateAsync(string name, string tag, CancellationToken cancellationToken)
    {
        var unreachable = new UnreachableWatch(clients.Time, task.UnreachableTimeout, $"LivyBatchOperator.{nameof(LivyBatchOperator.UnreachableTimeout)}");
        var located = await LookupRetries().ExecuteAsync(async token =>
        {
            RemoteApiException? failure = null;
            var where = "";
            try
            {
                if (await _livy.GetBatchAsync(name, token).ConfigureAwait(false) is { } batch && (batch.Name is null || batch.Name == name))
                    return new Located(batch, null);
            }
            catch (RemoteApiException e)
            {
                (failure, where) = (e, $"Livy at {_livy.Transport.Connection}");
                _log.WriteLine($"Could not ask Livy for batch {name} ({e.Message}); asking YARN for tag {tag}, then Livy again.");
            }

            YarnClient? yarn = null;
            try
            {
                yarn = clients.Yarn(_yarnConnectionId);
                var apps = await yarn.FindAppsByTagAsync(tag, token).ConfigureAwait(false);
                if (apps.Count > 0)
                    return new Located(null, apps[0]);
            }
            catch (ConnectionException)
            {
                // No ResourceManager configured: Livy's answer is all there is.
            }
            catch (RemoteApiException e)
            {
                if (failure is null)
                    (failure, where) = (e, $"YARN at {yarn?.Transport.Connection}");
                _log.WriteLine($"Could not ask YARN for tag {tag} ({e.Message}).");
            }

            if (failure is null)
                return new Located(null, null);
            unreachable.Failed(failure, where, $"while looking for batch {name} (YARN tag {tag}) after its submission's answer was lost");
            return null;
        }, cancellationToken).ConfigureAwait(false);

        // Null only when Polly stopped asking because the token was cancelled, where the wait before
        // asking again would have been cancelled.
        return located ?? throw new OperationCanceledException(cancellationToken);
    }

    // The submission of an earlier run of this attempt (a restarted runner) or of the previous try
    // whose outcome was never weighed: its POST may have created a batch. Null when there is none.
    private async Task<LivyBatchHandle?> EarlierSubmissionAsync(CancellationToken cancellationToken)
    {
        if (await LoadHandleAsync(cancellationToken).ConfigureAwait(false) is { } own)
            return own.Verdict == LivyBatchHandle.Submitting ? own : null;
        return await LoadPreviousHandleAsync(cancellationToken).ConfigureAwait(false) is { Verdict: null or LivyBatchHandle.Submitting } earlier ? earlier : null;
    }

    // Follows the earlier submission's batch (in Livy, or its app in YARN) instead of submitting
    // again. Null when the evidence says it was never created or has ended without success (killed
    // by that try's cleanup, or failed): only then is the job submitted.
    private async Task<object?> AdoptAsync(LivyBatchHandle earlier, CancellationToken cancellationToken)
    {
        _log.WriteLine($"An earlier try submitted batch {earlier.Name} (YARN tag {earlier.Tag}) and its outcome was never weighed: looking for it before anything is submitted.");
        var found = await LocateAsync(earlier.Name, earlier.Tag, cancellationToken).ConfigureAwait(false);
        if (found.Batch is { } batch)
        {
            if (LivyStates.IsFinalBatchState(batch.State) && batch.State != LivyStates.Success)
            {
                _log.WriteLine($"Batch {batch.Id} ({earlier.Name}) ended {batch.State}: the job is submitted again.");
                return null;
            }

            _log.WriteLine($"Found batch {batch.Id} ({earlier.Name}), state {batch.State}: following it instead of submitting again.");
            _handle = new LivyBatchHandle(batch.Id, earlier.Name, earlier.Tag, earlier.AppId, earlier.SparkUiUrl, earlier.DriverLogUrl);
            Learn(batch);
            await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
            var final = await FollowAsync(batch.Id, cancellationToken).ConfigureAwait(false);
            return final is null
                ? await FollowInYarnAsync(_handle!, cancellationToken).ConfigureAwait(false)
                : await VerifyAsync(final, cancellationToken).ConfigureAwait(false);
        }

        if (found.App is { } app)
        {
            if (app.IsTerminal && app.FinalStatus != "SUCCEEDED")
            {
                _log.WriteLine($"App {app.Id} (YARN tag {earlier.Tag}) ended {app.State}/{app.FinalStatus}: the job is submitted again.");
                return null;
            }

            return await FollowInYarnAsync(earlier with { AppId = app.Id, Verdict = null }, cancellationToken).ConfigureAwait(false);
        }

        _log.WriteLine($"Livy knows no batch named {earlier.Name} and YARN no app tagged {earlier.Tag}: none was created, so the job is submitted.");
        return null;
    }
}
