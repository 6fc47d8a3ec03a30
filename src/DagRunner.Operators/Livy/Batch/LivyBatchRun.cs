using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.Operators.Remote;
using DagRunner.Sdk;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>One attempt of a <see cref="LivyBatchOperator"/>: submit without ever submitting twice,
/// follow the state and the log, decide the outcome from every source's evidence, and kill what a
/// timeout or a cancellation leaves running.</summary>
internal sealed class LivyBatchRun(LivyBatchOperator task, TaskContext context, RemoteClients clients)
{
    private const string DuplicateName = "Duplicate session name";
    private static readonly TimeSpan CleanupBudget = TimeSpan.FromMinutes(2);

    private readonly LivyClient _livy = clients.Livy(task.LivyConnectionId);
    private readonly TextWriter _log = context.Log;
    private readonly LivyLogFollower _follower = new();
    private LivyBatchHandle? _handle;

    public async Task<object?> RunAsync(CancellationToken cancellationToken)
    {
        var name = BatchNaming.Name(context);
        var tag = BatchNaming.Tag(context);
        try
        {
            var batch = await ResumeAsync(name, cancellationToken).ConfigureAwait(false)
                ?? await SubmitAsync(name, tag, cancellationToken).ConfigureAwait(false);
            _handle ??= new LivyBatchHandle(batch.Id, name, tag, null, null, null);
            Learn(batch);
            await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
            var final = await FollowAsync(batch.Id, cancellationToken).ConfigureAwait(false);
            return await VerifyAsync(final, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CleanUpAsync().ConfigureAwait(false);
            throw;
        }
    }

    // A handle recorded by an earlier run of this same attempt (the runner was restarted): follow
    // that batch, if Livy still knows it under our name, instead of submitting a new one.
    private async Task<LivyBatch?> ResumeAsync(string name, CancellationToken cancellationToken)
    {
        if (Handles is not { } handles || await handles.LoadAsync(AttemptKey, cancellationToken).ConfigureAwait(false) is not { } known)
            return null;
        var batch = await _livy.GetBatchAsync(known.BatchId, cancellationToken).ConfigureAwait(false);
        if (batch is null || (batch.Name is { } batchName && batchName != name))
        {
            _log.WriteLine($"Recorded batch {known.BatchId} is no longer known to Livy under {name}; submitting (the name lookup still prevents a duplicate).");
            return null;
        }

        _handle = known;
        _log.WriteLine($"Resuming: following batch {known.BatchId} ({name}) recorded by an earlier run of this attempt, state {batch.State}.");
        return batch;
    }

    private RemoteHandles? Handles => context.Services?.GetService(typeof(RemoteHandles)) as RemoteHandles;

    private string AttemptKey => string.Join('|', context.DagId, context.RunId, context.TaskId, context.TryNumber);

    private async Task SaveHandleAsync(CancellationToken cancellationToken)
    {
        if (Handles is { } handles && _handle is { } handle)
            await handles.SaveAsync(AttemptKey, handle, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LivyBatch> SubmitAsync(string name, string tag, CancellationToken cancellationToken)
    {
        var request = Request(name, tag);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var batch = await _livy.CreateBatchAsync(request, cancellationToken).ConfigureAwait(false);
                _log.WriteLine($"Submitted Livy batch {batch.Id} ({name}) to {_livy.Transport.Connection}: {task.File}");
                return batch;
            }
            catch (RemoteApiException e) when (e.Status is null or >= 500 || (e.Status == 400 && e.Detail?.Contains(DuplicateName, StringComparison.Ordinal) == true))
            {
                // The answer was lost, or Livy already has a batch of this name: it may be ours.
                _log.WriteLine($"Submitting did not give an answer ({e.Message}); looking the batch up by its name {name} before anything else.");
                if (await _livy.GetBatchAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    _log.WriteLine($"Found batch {existing.Id} ({name}), state {existing.State}: following it instead of submitting again.");
                    return existing;
                }

                if (attempt == 5 || e.Status == 400)
                    throw;
            }
        }
    }

    private LivyBatchRequest Request(string name, string tag) =>
        LivyJobFields.Apply(new LivyBatchRequest { File = task.File, ClassName = task.ClassName, Args = task.Args.Count > 0 ? [.. task.Args] : null }, task, name, tag);

    private async Task<LivyBatch> FollowAsync(string id, CancellationToken cancellationToken)
    {
        var poll = new AdaptivePoll(task.PollInterval);
        var lastState = "";
        while (true)
        {
            var batch = await _livy.GetBatchAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new LivyBatchFailedException($"Livy no longer knows batch {id} (404): it was deleted, forgotten after its retention, or Livy restarted without recovery.");
            if (Learn(batch))
                await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
            if (batch.State != lastState)
            {
                _log.WriteLine($"Livy batch {id}: {batch.State}" + (LivyStates.IsKnown(batch.State) ? "" : " (a state this version does not know; still following)"));
                lastState = batch.State;
            }

            await StreamLogAsync(id, cancellationToken).ConfigureAwait(false);
            if (LivyStates.IsFinalBatchState(batch.State))
                return batch;
            await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Reads the whole log a page at a time; the follower keeps only what is new.
    private async Task StreamLogAsync(string id, CancellationToken cancellationToken)
    {
        const int PageSize = 100;
        var lines = new List<string>();
        for (var from = 0; ; from += PageSize)
        {
            var page = await _livy.GetBatchLogAsync(id, from, PageSize, cancellationToken).ConfigureAwait(false);
            if (page is null)
                return;
            lines.AddRange(page.Log);
            if (page.Log.Count < PageSize || from + PageSize >= page.Total)
                break;
        }

        foreach (var line in _follower.NewLines(lines))
            _log.WriteLine(line);
    }

    // True when the batch revealed something new (app id, URLs), which is then recorded.
    private bool Learn(LivyBatch batch)
    {
        var known = _handle!;
        var learned = known with
        {
            AppId = batch.AppId ?? known.AppId,
            SparkUiUrl = batch.AppInfo?.SparkUiUrl ?? known.SparkUiUrl,
            DriverLogUrl = batch.AppInfo?.DriverLogUrl ?? known.DriverLogUrl,
        };
        if (learned == known)
            return false;
        _handle = learned;
        _log.WriteLine($"Batch {learned.BatchId}: app {learned.AppId ?? "(not yet)"}, Spark UI {learned.SparkUiUrl ?? "(not yet)"}, driver log {learned.DriverLogUrl ?? "(not yet)"}");
        return true;
    }

    private async Task<object?> VerifyAsync(LivyBatch final, CancellationToken cancellationToken)
    {
        var handle = _handle!;
        var verifier = new OutcomeVerifier(clients.Time, _log);
        var evidence = new List<Evidence> { new("Livy", final.State == LivyStates.Success, final.State) };
        if (task.VerifyIn.HasFlag(VerifyIn.Yarn))
            evidence.Add(await verifier.YarnAsync(clients.Yarn(task.YarnConnectionId), handle.AppId, handle.Tag, cancellationToken).ConfigureAwait(false));
        if (task.VerifyIn.HasFlag(VerifyIn.Spark))
            evidence.Add(await verifier.SparkAsync(clients.Spark(task.SparkConnectionId), handle.AppId, cancellationToken).ConfigureAwait(false));

        _log.WriteLine($"Outcome of batch {handle.BatchId}:");
        if (verifier.Decide(evidence))
            return handle.ToOutput(final.State);

        var sources = string.Join(", ", evidence.Select(e => $"{e.Source} {(e.Succeeded ? "succeeded" : "failed")}"));
        var disagreement = evidence.Any(e => e.Succeeded) ? "the sources disagree" : "every source says it failed";
        throw new LivyBatchFailedException($"Batch {handle.BatchId} ({handle.Name}) did not succeed: {disagreement} ({sources}). " +
            string.Join("; ", evidence.Where(e => !e.Succeeded).Select(e => $"{e.Source}: {e.Said}")));
    }

    // A timeout or a cancellation must not leave the job running: DELETE kills it in YARN; if YARN
    // still shows it running after that, kill it there too.
    private async Task CleanUpAsync()
    {
        if (_handle is not { } handle)
            return;
        using var budget = new CancellationTokenSource(CleanupBudget, clients.Time);
        try
        {
            var deleted = await _livy.DeleteBatchAsync(handle.BatchId, budget.Token).ConfigureAwait(false);
            _log.WriteLine(deleted
                ? $"Cancelled: deleted Livy batch {handle.BatchId}, which kills its app."
                : $"Cancelled: Livy no longer knew batch {handle.BatchId}.");
            if (handle.AppId is { } appId && task.VerifyIn.HasFlag(VerifyIn.Yarn))
            {
                var yarn = clients.Yarn(task.YarnConnectionId);
                if (await yarn.GetAppAsync(appId, budget.Token).ConfigureAwait(false) is { IsTerminal: false })
                {
                    await yarn.KillAsync(appId, budget.Token).ConfigureAwait(false);
                    _log.WriteLine($"YARN still showed {appId} running: killed it there.");
                }
            }
        }
        catch (Exception e) when (e is RemoteApiException or OperationCanceledException)
        {
            _log.WriteLine($"Cancelled, but the batch {handle.BatchId} could not be cleaned up: {e.Message}. Kill app {handle.AppId ?? "(unknown)"} by hand.");
        }
    }
}
