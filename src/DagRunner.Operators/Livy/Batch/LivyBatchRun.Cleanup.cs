using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.Clients.Yarn;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>Stopping what an attempt leaves running after a timeout, a cancellation or a lost Livy.</summary>
internal sealed partial class LivyBatchRun
{
    // A timeout, a cancellation or a lost Livy must not leave the job running: DELETE kills it in
    // YARN (asked again until Livy answers, within the budget); if YARN still shows it running,
    // it is killed there too. A batch whose submission was still in flight is found by its name.
    private async Task CleanUpAsync()
    {
        using var budget = new CancellationTokenSource(task.CleanupTimeout, clients.Time);
        var token = budget.Token;
        var id = _handle is { Verdict: not LivyBatchHandle.Submitting } known ? known.BatchId : null;
        try
        {
            if (id is null && _posted && !_nothingSubmitted)
            {
                try
                {
                    if (await _livy.GetBatchAsync(_name, token).ConfigureAwait(false) is { } submitted && IsOurs(submitted))
                        id = submitted.Id;
                }
                catch (RemoteApiException e) when (!token.IsCancellationRequested)
                {
                    // Livy cannot say whether the POST created a batch: its app, if any, is in YARN under the tag.
                    _log.WriteLine($"Could not ask Livy for batch {_name} ({e.Message}); killing any app tagged {BatchNaming.Tag(context)} in YARN.");
                    await KillInYarnAsync(token).ConfigureAwait(false);
                    _log.WriteLine($"Stopped what YARN showed running under tag {BatchNaming.Tag(context)}; Livy could not say whether batch {_name} exists.");
                    return;
                }
            }

            if (id is null)
            {
                // Said only when known: nothing was posted, or Livy and YARN both said there is no batch.
                if (!_posted || _nothingSubmitted)
                    _log.WriteLine("Stopped before any batch was submitted.");
                else
                {
                    _log.WriteLine($"Stopped: Livy knows no batch named {_name}; asking YARN for an app tagged {BatchNaming.Tag(context)}.");
                    await KillInYarnAsync(token).ConfigureAwait(false);
                }

                return;
            }

            var deleted = await DeleteRetries(id).ExecuteAsync(async asked => await _livy.DeleteBatchAsync(id, asked).ConfigureAwait(false), token).ConfigureAwait(false);
            _log.WriteLine(deleted ? $"Stopped: deleted Livy batch {id}, which kills its app." : $"Stopped: Livy no longer knew batch {id}.");

            await KillInYarnAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RemoteApiException or OperationCanceledException)
        {
            var why = e is OperationCanceledException && token.IsCancellationRequested
                ? $"Livy did not confirm within {RestTransport.Seconds(task.CleanupTimeout)} (LivyBatchOperator.{nameof(LivyBatchOperator.CleanupTimeout)})"
                : e.Message;
            _log.WriteLine($"Batch {id ?? _name} could not be cleaned up: {why}. Kill app {_handle?.AppId ?? "(unknown, YARN tag " + BatchNaming.Tag(context) + ")"} by hand.");
        }
    }

    private async Task KillInYarnAsync(CancellationToken token)
    {
        YarnClient yarn;
        try
        {
            yarn = clients.Yarn(_yarnConnectionId);
        }
        catch (ConnectionException)
        {
            return; // no ResourceManager configured: Livy's DELETE is all there is
        }

        var apps = _handle?.AppId is { } appId
            ? await yarn.GetAppAsync(appId, token).ConfigureAwait(false) is { } app ? [app] : []
            : await yarn.FindAppsByTagAsync(BatchNaming.Tag(context), token).ConfigureAwait(false);
        foreach (var running in apps.Where(a => !a.IsTerminal))
        {
            await yarn.KillAsync(running.Id, token).ConfigureAwait(false);
            _log.WriteLine($"YARN still showed {running.Id} running: killed it there.");
        }
    }
}
