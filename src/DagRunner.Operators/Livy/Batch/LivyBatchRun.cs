using System.Runtime.ExceptionServices;
using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.Clients.Yarn;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>One attempt of a <see cref="LivyBatchOperator"/>: submit without ever submitting twice,
/// follow the state and the log, decide the outcome from every source's evidence, and kill what a
/// timeout or a cancellation leaves running.</summary>
internal sealed partial class LivyBatchRun(LivyBatchOperator task, RenderedTask fields, TaskContext context, RemoteClients clients)
{
    private const string DuplicateName = "Duplicate session name";

    private readonly LivyClient _livy = clients.Livy(fields.Text(nameof(LivyJobOperator.LivyConnectionId))!);
    private readonly TextWriter _log = context.Log;
    private readonly LivyLogFollower _follower = new();
    private readonly string _name = LivyJobFields.Name(fields, context);
    private readonly string _yarnConnectionId = fields.Text(nameof(LivyBatchOperator.YarnConnectionId))!;
    private readonly string _sparkConnectionId = fields.Text(nameof(LivyBatchOperator.SparkConnectionId))!;
    private LivyBatchHandle? _handle;
    private bool _posted;            // a POST /batches was sent: a batch may exist even if no answer said so
    private bool _nothingSubmitted;  // Livy and YARN both said no batch was created

    public async Task<object?> RunAsync(CancellationToken cancellationToken)
    {
        var name = _name;
        var tag = BatchNaming.Tag(context);
        try
        {
            // An earlier try whose verdict stayed unknown: its app is asked about again, and the job
            // is submitted again only if the evidence says it failed.
            if (await UnknownVerdictAsync(cancellationToken).ConfigureAwait(false) is { } unknown)
            {
                if (await ReverifyAsync(unknown, cancellationToken).ConfigureAwait(false) is { } reverified)
                    return reverified;
            }
            else if (await EarlierSubmissionAsync(cancellationToken).ConfigureAwait(false) is { } earlier)
            {
                // A submission whose outcome was never weighed (its answer lost, or Livy unreachable
                // while it was followed): its batch is followed if it exists, so the job runs once.
                if (await AdoptAsync(earlier, cancellationToken).ConfigureAwait(false) is { } adopted)
                    return adopted;
                _handle = null;
            }

            var batch = await ResumeAsync(name, cancellationToken).ConfigureAwait(false);
            if (batch is null && _handle is { } forgotten && await FindInYarnAsync(tag, cancellationToken).ConfigureAwait(false) is { } app)
                return await FollowInYarnAsync(forgotten with { AppId = app.Id }, cancellationToken).ConfigureAwait(false);
            if (batch is null)
            {
                var located = await SubmitAsync(name, tag, cancellationToken).ConfigureAwait(false);
                if (located.Batch is null)
                    return await FollowInYarnAsync(_handle! with { AppId = located.App!.Id, Verdict = null }, cancellationToken).ConfigureAwait(false);
                batch = located.Batch;
            }

            _handle = _handle?.BatchId == batch.Id && _handle.Name == name ? _handle : new LivyBatchHandle(batch.Id, name, tag, null, null, null);
            Learn(batch);
            await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
            var final = await FollowAsync(batch.Id, cancellationToken).ConfigureAwait(false);
            if (final is null)
                return await FollowInYarnAsync(_handle!, cancellationToken).ConfigureAwait(false);
            return await VerifyAsync(final, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A runner stopping gracefully leaves the batch running; its handle is recorded, so the
            // next runner follows it. A cancellation or a timeout stops it.
            if (context.DetachToken.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
                _log.WriteLine($"The runner is stopping: batch {_handle?.BatchId ?? _name} is left running for the next runner to follow.");
            else
                await CleanUpAsync().ConfigureAwait(false);
            throw;
        }
        catch (RemoteApiException e)
        {
            // Livy could not be followed to the end: stop the job rather than leave it running
            // beside the retry that will come.
            await CleanUpAsync().ConfigureAwait(false);
            throw new TaskFailedException($"Batch {_handle?.BatchId ?? name} could not be followed: {e.Message}", e);
        }
    }

    // A handle recorded by an earlier run of this same attempt (the runner was restarted): follow
    // that batch, if Livy still knows it under our name, instead of submitting a new one.
    private async Task<LivyBatch?> ResumeAsync(string name, CancellationToken cancellationToken)
    {
        if (await LoadHandleAsync(cancellationToken).ConfigureAwait(false) is not { } known || known.Name != name ||
            known.Verdict == LivyBatchHandle.Submitting)
            return null;
        var batch = await _livy.GetBatchAsync(known.BatchId, cancellationToken).ConfigureAwait(false);
        if (batch is null || !IsOurs(batch))
        {
            _log.WriteLine($"Recorded batch {known.BatchId} is no longer known to Livy under {name}; looking for its app in YARN before anything is submitted.");
            _handle = known;
            return null;
        }

        _handle = known;
        _log.WriteLine($"Resuming: following batch {known.BatchId} ({name}) recorded by an earlier run of this attempt, state {batch.State}.");
        return batch;
    }

    // This attempt's handle (recorded by an earlier runner of it), and the previous try's.
    private Task<LivyBatchHandle?> LoadHandleAsync(CancellationToken cancellationToken) =>
        context.Checkpoint.LoadAsync<LivyBatchHandle>(LivyBatchHandle.Kind, cancellationToken);

    private Task<LivyBatchHandle?> LoadPreviousHandleAsync(CancellationToken cancellationToken) =>
        context.Checkpoint.LoadPreviousAsync<LivyBatchHandle>(LivyBatchHandle.Kind, cancellationToken);

    private async Task SaveHandleAsync(CancellationToken cancellationToken)
    {
        if (_handle is { } handle)
            await context.Checkpoint.SaveAsync(LivyBatchHandle.Kind, handle, cancellationToken).ConfigureAwait(false);
    }

    // The batch just submitted, or, when the POST's answer was lost, the batch (or its app in YARN)
    // the POST created. The handle is recorded before the POST, so a retry or a restarted runner
    // looks for this batch before it submits anything.
    private async Task<Located> SubmitAsync(string name, string tag, CancellationToken cancellationToken)
    {
        var request = LivyJobFields.BatchRequest(task, fields, context);
        _handle = new LivyBatchHandle(name, name, tag, null, null, null, LivyBatchHandle.Submitting);
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"Submitting POST /batches {SecretMask.From(context.Params, context.Conf).Apply(LivyRequestBodies.Json(request))}");
        var posts = 0;
        var submission = await SubmitRetries().ExecuteAsync(async token =>
        {
            posts++;
            _nothingSubmitted = false;
            try
            {
                _posted = true;
                var batch = await _livy.CreateBatchAsync(request, token).ConfigureAwait(false);
                _log.WriteLine($"Submitted Livy batch {batch.Id} ({name}) to {_livy.Transport.Connection}: {request.File}");
                return new Submission(new Located(batch, null), null);
            }
            catch (RemoteApiException e) when (e.Status is null or >= 500 || (e.Status == 400 && e.Detail?.Contains(DuplicateName, StringComparison.Ordinal) == true))
            {
                // The answer was lost, or Livy already has a batch of this name: it may be ours.
                // An unreachable Livy is no evidence that there is none: asked until UnreachableTimeout.
                _log.WriteLine($"Submitting did not give an answer ({e.Message}); looking the batch up by its name {name} in Livy and its tag {tag} in YARN before anything else.");
                var found = await LocateAsync(name, tag, token).ConfigureAwait(false);
                if (found.Batch is { } existing)
                {
                    _log.WriteLine($"Found batch {existing.Id} ({name}), state {existing.State}: following it instead of submitting again.");
                    return new Submission(found, null);
                }

                if (found.App is { } app)
                {
                    _log.WriteLine($"YARN shows app {app.Id} tagged {tag}, state {app.State}: following it there instead of submitting again.");
                    return new Submission(found, null);
                }

                _nothingSubmitted = true;
                return new Submission(null, e);
            }
        }, cancellationToken).ConfigureAwait(false);

        if (submission.NothingCreated is { } unanswered)
        {
            // Polly hands back the last answer when the token is cancelled where a wait before the
            // next POST would have been cancelled: that stays a cancellation.
            if (posts < MostPosts && unanswered.Status != 400)
                cancellationToken.ThrowIfCancellationRequested();
            ExceptionDispatchInfo.Throw(unanswered);
        }

        return submission.Found!;
    }

    // The batch's final state, or null when Livy forgot the batch while its app is known to YARN
    // (then YARN is asked for the outcome).
    private async Task<LivyBatch?> FollowAsync(string id, CancellationToken cancellationToken)
    {
        var poll = new AdaptivePoll(task.PollInterval);
        var lastState = "";
        var unreachable = new UnreachableWatch(clients.Time, task.UnreachableTimeout, $"LivyBatchOperator.{nameof(LivyBatchOperator.UnreachableTimeout)}");
        while (true)
        {
            LivyBatch? batch;
            try
            {
                batch = await _livy.GetBatchAsync(id, cancellationToken).ConfigureAwait(false);
                unreachable.Reached();
            }
            catch (RemoteApiException e)
            {
                // Retries inside the client did not help; Livy may be restarting. Keep following
                // until the unreachable timeout, which the failure then names.
                unreachable.Failed(e, $"Livy at {_livy.Transport.Connection}", $"while following batch {id}");
                _log.WriteLine($"Could not ask Livy about batch {id} ({e.Message}); trying again.");
                await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // After a Livy restart without recovery, ids start at 0 again: an id that now names
            // another job's batch is as gone as a 404. Its app may run on in YARN: if it is known,
            // YARN is asked for the outcome, as when a restarted runner finds the batch forgotten.
            if (batch is null || !IsOurs(batch))
            {
                if (_handle!.AppId is null && await FindInYarnAsync(_handle.Tag, cancellationToken).ConfigureAwait(false) is { } app)
                    _handle = _handle with { AppId = app.Id };
                if (_handle.AppId is not null && HasYarn)
                {
                    _log.WriteLine($"Livy no longer knows batch {id} as {_name} (404 or another batch under that id); its app {_handle.AppId} is known, so YARN is asked how it ends.");
                    return null;
                }

                var why = _handle.AppId is null ? $"no app id was learned and YARN shows none tagged {_handle.Tag}" : $"its app {_handle.AppId} cannot be followed without a YARN connection ({_yarnConnectionId})";
                throw new LivyBatchFailedException($"Livy no longer knows batch {id} as {_name} (404 or another batch under that id): it was deleted, forgotten after its retention, or Livy restarted without recovery; {why}.");
            }

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

    // One read of everything Livy keeps (size=-1): pages read one after another can shift under a
    // log that is growing and rolling, and would show lines twice. The follower keeps what is new.
    private async Task StreamLogAsync(string id, CancellationToken cancellationToken)
    {
        LivyLogPage? page;
        try
        {
            page = await _livy.GetBatchLogAsync(id, 0, -1, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteApiException e)
        {
            _log.WriteLine($"Could not read the log of batch {id} ({e.Message}); trying again at the next poll.");
            return;
        }

        foreach (var line in _follower.NewLines(page?.Log ?? []))
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

    // The batch's name is this attempt's, or the earlier try's whose batch is followed.
    private bool IsOurs(LivyBatch batch) => batch.Name is null || batch.Name == (_handle?.Name ?? _name);
}
