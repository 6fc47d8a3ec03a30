using System.Globalization;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators.Livy.Session;

/// <summary>One attempt of a <see cref="LivySessionOperator"/>: create the session (or take over the one an
/// earlier runner of this attempt left), wait for it to be idle, run the statements in order, recording
/// where it stands before each wait, and delete the session at the end, unless the runner stops
/// gracefully and leaves it to the next one.</summary>
internal sealed class LivySessionRun(LivySessionOperator task, RenderedTask fields, TaskContext context, RemoteClients clients)
{

    private readonly LivyClient _livy = clients.Livy(fields.Text(nameof(LivyJobOperator.LivyConnectionId))!);
    private readonly TextWriter _log = context.Log;
    private readonly SecretMask _mask = SecretMask.From(context.Params, context.Conf);

    public async Task<object?> RunAsync(CancellationToken cancellationToken)
    {
        var statements = fields.Statements;
        var request = LivyJobFields.SessionRequest(task, fields, context);
        var fingerprint = WarmSessions.Fingerprint(request, _livy.Transport.Connection.BaseUri);
        var (session, handle) = await TakeBackWarmAsync(fingerprint, cancellationToken).ConfigureAwait(false)
            ?? await TakeOverAsync(request.Name!, cancellationToken).ConfigureAwait(false)
            ?? await CreateAsync(request, cancellationToken).ConfigureAwait(false);
        var detached = false;
        var outputs = handle.Outputs.ToList();
        try
        {
            if (handle.RunningStatementId is null)
                session = await WaitUntilIdleAsync(session.Id, cancellationToken).ConfigureAwait(false);
            for (var i = outputs.Count; i < statements.Count; i++)
            {
                var statement = statements[i];
                // One numbering, as the user counts (from 1), in every line and error; Livy's own
                // statement ids (from 0) are named as such.
                var number = $"{i + 1}/{statements.Count}";
                LivyStatement running;
                if (handle.RunningStatementId is { } runningId)
                {
                    _log.WriteLine($"Statement {number} ({statement.Origin}) was submitted by an earlier runner as Livy statement {runningId}: following it.");
                    running = await _livy.GetStatementAsync(session.Id, runningId, cancellationToken).ConfigureAwait(false)
                        ?? throw new TaskFailedException($"Session {session.Id} no longer knows statement {number} (Livy statement {runningId}).");
                }
                else
                {
                    // The code exactly as sent (secrets masked), so the log shows what ran.
                    _log.WriteLine($"Statement {number} ({statement.Origin}, {LivyJobFields.KindName(statement.Kind)}), as sent:");
                    foreach (var line in _mask.Apply(statement.Code).TrimEnd('\n').Split('\n'))
                        _log.WriteLine(line);
                    _log.WriteLine("--- end of statement");
                    var kind = statement.Statement.Kind is { } own ? LivyJobFields.KindName(own) : null;
                    running = await _livy.SubmitStatementAsync(session.Id, new LivyStatementRequest(statement.Code, kind), cancellationToken).ConfigureAwait(false);
                }

                handle = handle with { RunningStatementId = running.Id };
                await SaveAsync(handle, cancellationToken).ConfigureAwait(false);
                outputs.Add(await FollowStatementAsync(session.Id, running, statement, number, cancellationToken).ConfigureAwait(false));
                handle = handle with { Outputs = [.. outputs], RunningStatementId = null };
                await SaveAsync(handle, cancellationToken).ConfigureAwait(false);
            }

            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["session_id"] = session.Id,
                ["app_id"] = session.AppId,
                ["outputs"] = outputs,
                ["result"] = outputs.Count > 0 ? outputs[^1] : null,
            };
        }
        catch (OperationCanceledException) when (context.DetachToken.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // The runner stops gracefully: the session and its running statement are left to the next runner.
            detached = true;
            _log.WriteLine($"The runner is stopping: session {session.Id} is left running for the next runner to take over.");
            throw;
        }
        finally
        {
            if (!detached && !await KeepWarmAsync(session.Id, fingerprint, outputs, handle.RunningStatementId).ConfigureAwait(false))
                await DeleteAsync(session.Id).ConfigureAwait(false);
        }
    }

    private WarmSessions? Warm => context.Services?.GetService(typeof(WarmSessions)) is WarmSessions { Enabled: true } warm ? warm : null;

    private string WarmKey => $"{context.DagId}.{context.TaskId}";

    // dev --warm: the session this task kept from its previous run, when it is still alive and was
    // created with the same settings; the statements it already ran with the same code are skipped.
    private async Task<(LivySession Session, LivySessionHandle Handle)?> TakeBackWarmAsync(string fingerprint, CancellationToken cancellationToken)
    {
        if (Warm is not { } warm || warm.Take(WarmKey) is not { } kept)
            return null;
        if (kept.Fingerprint != fingerprint)
        {
            _log.WriteLine($"Warm session {kept.SessionId} was created with other settings: deleting it and starting a new one.");
            await kept.DeleteAsync().ConfigureAwait(false);
            return null;
        }

        LivySession? session;
        try
        {
            session = await _livy.GetSessionAsync(kept.SessionId, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Taken out of the keeper and not followed: deleted, or nothing would ever delete it.
            await kept.DeleteAsync().ConfigureAwait(false);
            throw;
        }

        if (session is null || LivyStates.IsDeadSessionState(session.State))
        {
            _log.WriteLine($"Warm session {kept.SessionId} is gone ({session?.State ?? "unknown to Livy"}): starting a new one.");
            return null;
        }

        var skipped = kept.UnchangedPrefix([.. fields.Statements.Select(Identity)]);
        _log.WriteLine(skipped switch
        {
            0 => $"Warm session {session.Id}: the first statement changed; running every statement again in it.",
            _ when skipped == fields.Statements.Count => $"Warm session {session.Id}: all {skipped} statement(s) unchanged since the last run; nothing to run.",
            _ => $"Warm session {session.Id}: statement(s) 1-{skipped} unchanged since the last run, skipped; running from statement {skipped + 1}.",
        });
        return (session, new LivySessionHandle(session.Id, session.Name ?? kept.SessionId, [.. kept.Outputs.Take(skipped)], null));
    }

    // What makes a statement the same as one a kept session ran: its code and its own kind.
    private static string Identity(RenderedStatement statement) => $"{statement.Kind}\u001f{statement.Code}";

    // dev --warm: the session is kept for the next run with the statements that finished, unless it
    // died. A statement still running (the run was cancelled by a newer save) is cancelled first.
    private async Task<bool> KeepWarmAsync(string sessionId, string fingerprint, List<string?> outputs, string? runningStatementId)
    {
        if (Warm is not { } warm)
            return false;
        using var budget = new CancellationTokenSource(task.CleanupTimeout, clients.Time);
        try
        {
            if (runningStatementId is not null)
                await _livy.CancelStatementAsync(sessionId, runningStatementId, budget.Token).ConfigureAwait(false);
            var session = await _livy.GetSessionAsync(sessionId, budget.Token).ConfigureAwait(false);
            if (session is null || LivyStates.IsDeadSessionState(session.State))
                return false;
        }
        catch (Exception e) when (e is RemoteApiException or OperationCanceledException)
        {
            return false;
        }

        var codes = fields.Statements.Take(outputs.Count).Select(Identity).ToList();
        warm.Keep(WarmKey, new WarmSession(sessionId, fingerprint, codes, [.. outputs], _livy, task.CleanupTimeout, clients.Time));
        _log.WriteLine($"Session {sessionId} is kept warm for the next run ({codes.Count} statement(s) done).");
        return true;
    }

    // A session an earlier runner of this same attempt recorded and Livy still runs: taken over where it stood.
    private async Task<(LivySession Session, LivySessionHandle Handle)?> TakeOverAsync(string name, CancellationToken cancellationToken)
    {
        if (await context.Checkpoint.LoadAsync<LivySessionHandle>(LivySessionHandle.Kind, cancellationToken).ConfigureAwait(false) is not { } known)
            return null;
        var session = await _livy.GetSessionAsync(known.SessionId, cancellationToken).ConfigureAwait(false);
        if (session is null || LivyStates.IsDeadSessionState(session.State) || (session.Name is { } actual && actual != known.Name))
        {
            _log.WriteLine($"Recorded session {known.SessionId} is gone ({session?.State ?? "unknown to Livy"}): starting a new session {name}.");
            return null;
        }

        _log.WriteLine($"Resuming: taking over session {known.SessionId} ({session.State}) from an earlier runner of this attempt; {known.Outputs.Count} statement(s) already done.");
        return (session, known);
    }

    private async Task<(LivySession Session, LivySessionHandle Handle)> CreateAsync(LivySessionRequest request, CancellationToken cancellationToken)
    {
        LivySession session;
        try
        {
            session = await _livy.CreateSessionAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RemoteApiException { Status: null or >= 500 } or OperationCanceledException)
        {
            // The session may exist although the answer was lost: find it by its name and delete it.
            if (await FindByNameAsync(request.Name!).ConfigureAwait(false) is { } orphan)
                await DeleteAsync(orphan).ConfigureAwait(false);
            throw;
        }

        _log.WriteLine($"Created Livy session {session.Id} ({request.Kind}) on {_livy.Transport.Connection}.");
        var handle = new LivySessionHandle(session.Id, request.Name!, [], null);
        await SaveAsync(handle, cancellationToken).ConfigureAwait(false);
        return (session, handle);
    }

    private Task SaveAsync(LivySessionHandle handle, CancellationToken cancellationToken) =>
        context.Checkpoint.SaveAsync(LivySessionHandle.Kind, handle, cancellationToken);

    private async Task<LivySession> WaitUntilIdleAsync(string id, CancellationToken cancellationToken)
    {
        var poll = new AdaptivePoll(task.PollInterval);
        var started = clients.Time.GetTimestamp();
        while (true)
        {
            var session = await _livy.GetSessionAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new TaskFailedException($"Livy no longer knows session {id} (404) while it was starting.");
            if (session.State == LivyStates.Idle)
            {
                _log.WriteLine($"Session {id} is idle (app {session.AppId ?? "unknown"}, Spark UI {session.AppInfo?.SparkUiUrl ?? "unknown"}).");
                return session;
            }

            if (LivyStates.IsDeadSessionState(session.State))
                throw new TaskFailedException($"Session {id} ended {session.State} before it was ready. {await LogTailAsync(id, cancellationToken).ConfigureAwait(false)}");
            if (clients.Time.GetElapsedTime(started) > task.StartupTimeout)
                throw new TaskFailedException($"Session {id} was not ready within {RestTransport.Seconds(task.StartupTimeout)} (LivySessionOperator.{nameof(LivySessionOperator.StartupTimeout)}; state {session.State}).");
            await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> FollowStatementAsync(string sessionId, LivyStatement statement, RenderedStatement rendered, string number, CancellationToken cancellationToken)
    {
        var poll = new AdaptivePoll(task.PollInterval);
        var progress = -1.0;
        while (!LivyStates.IsFinalStatementState(statement.State))
        {
            await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
            var current = await _livy.GetStatementAsync(sessionId, statement.Id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                var session = await _livy.GetSessionAsync(sessionId, cancellationToken).ConfigureAwait(false);
                throw new TaskFailedException(
                    $"Session {sessionId} died while statement {number} ran (state {session?.State ?? "gone"}). {await LogTailAsync(sessionId, cancellationToken).ConfigureAwait(false)}");
            }

            statement = current;
            if (statement.Progress > progress && statement.Progress < 1)
            {
                progress = statement.Progress;
                _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  progress {progress:P0}"));
            }
        }

        if (statement.State == LivyStates.Cancelled)
            throw new TaskFailedException($"Statement {number} ({rendered.Origin}) of session {sessionId} was cancelled.");
        var output = statement.Output ?? throw new TaskFailedException($"Statement {number} ({rendered.Origin}) of session {sessionId} ended without an output.");
        if (!output.IsOk)
        {
            // The traceback is written once, here, in the task log with the template's lines; the
            // error (which the engine logs and the CLI prints too) names only the innermost line.
            var lines = TracebackLines.Annotate(output.Traceback ?? [], rendered.Lines);
            foreach (var line in lines)
                _log.Write(line.EndsWith('\n') ? line : line + "\n");
            var where = TracebackLines.Innermost(lines) is { } frame ? $", at {frame}" : "";
            var seeLog = lines.Count > 0 ? "; the traceback is in the task log" : "";
            throw new TaskFailedException($"Statement {number} ({rendered.Origin}) failed: {output.Ename}: {output.Evalue}{where}{seeLog}.");
        }

        if (output.Text is { Length: > 0 } text)
        {
            foreach (var line in text.Split('\n'))
                _log.WriteLine(line);
        }

        return output.Text ?? output.Data?.GetRawText();
    }

    private async Task<string> LogTailAsync(string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            var page = await _livy.GetSessionLogAsync(sessionId, null, 20, cancellationToken).ConfigureAwait(false);
            return page is null ? "Its log is gone." : "Its log ends with:\n" + string.Join('\n', page.Log.Select(l => l.Trim()).Where(l => l.Length > 0));
        }
        catch (RemoteApiException e)
        {
            return "Its log could not be read: " + e.Message;
        }
    }

    // Always, with a budget of its own: the task's token may already be cancelled.
    private async Task DeleteAsync(string id)
    {
        using var budget = new CancellationTokenSource(task.CleanupTimeout, clients.Time);
        try
        {
            if (await _livy.DeleteSessionAsync(id, budget.Token).ConfigureAwait(false))
                _log.WriteLine($"Deleted session {id}.");
        }
        catch (Exception e) when (e is RemoteApiException or OperationCanceledException)
        {
            var why = e is OperationCanceledException && budget.IsCancellationRequested
                ? $"Livy did not confirm within {RestTransport.Seconds(task.CleanupTimeout)} (LivySessionOperator.{nameof(LivySessionOperator.CleanupTimeout)})"
                : e.Message;
            _log.WriteLine($"Session {id} could not be deleted: {why}. Delete it by hand; Livy also reclaims it after its heartbeat timeout.");
        }
    }

    private async Task<string?> FindByNameAsync(string name)
    {
        using var budget = new CancellationTokenSource(task.CleanupTimeout, clients.Time);
        try
        {
            return (await _livy.GetSessionAsync(name, budget.Token).ConfigureAwait(false))?.Id;
        }
        catch (Exception e) when (e is RemoteApiException or OperationCanceledException)
        {
            return null;
        }
    }
}
