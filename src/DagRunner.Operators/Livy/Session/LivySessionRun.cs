using System.Globalization;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators.Livy.Session;

/// <summary>One attempt of a <see cref="LivySessionOperator"/>: create the session, wait for it to be
/// idle, run the statements in order, and delete the session whatever happens.</summary>
internal sealed class LivySessionRun(LivySessionOperator task, RenderedTask fields, TaskContext context, RemoteClients clients)
{

    private readonly LivyClient _livy = clients.Livy(fields.Text(nameof(LivyJobOperator.LivyConnectionId))!);
    private readonly TextWriter _log = context.Log;
    private readonly SecretMask _mask = SecretMask.From(context.Params, context.Conf);

    public async Task<object?> RunAsync(CancellationToken cancellationToken)
    {
        var statements = fields.Statements;
        var request = LivyJobFields.SessionRequest(task, fields, context);
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
        try
        {
            session = await WaitUntilIdleAsync(session.Id, cancellationToken).ConfigureAwait(false);
            var outputs = new List<string?>();
            for (var i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                // The code exactly as sent (secrets masked), so the log shows what ran.
                _log.WriteLine($"Statement {i + 1}/{statements.Count} ({statement.Origin}, {LivyJobFields.KindName(statement.Kind)}), as sent:");
                foreach (var line in _mask.Apply(statement.Code).TrimEnd('\n').Split('\n'))
                    _log.WriteLine(line);
                _log.WriteLine("--- end of statement");
                outputs.Add(await RunStatementAsync(session.Id, statement, cancellationToken).ConfigureAwait(false));
            }

            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["session_id"] = session.Id,
                ["app_id"] = session.AppId,
                ["outputs"] = outputs,
                ["result"] = outputs.Count > 0 ? outputs[^1] : null,
            };
        }
        finally
        {
            await DeleteAsync(session.Id).ConfigureAwait(false);
        }
    }

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
                throw new TaskFailedException($"Session {id} was not ready within {task.StartupTimeout:g} (state {session.State}).");
            await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> RunStatementAsync(string sessionId, RenderedStatement rendered, CancellationToken cancellationToken)
    {
        var kind = rendered.Statement.Kind is { } own ? LivyJobFields.KindName(own) : null;
        var statement = await _livy.SubmitStatementAsync(sessionId, new LivyStatementRequest(rendered.Code, kind), cancellationToken).ConfigureAwait(false);
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
                    $"Session {sessionId} died while statement {statement.Id} ran (state {session?.State ?? "gone"}). {await LogTailAsync(sessionId, cancellationToken).ConfigureAwait(false)}");
            }

            statement = current;
            if (statement.Progress > progress && statement.Progress < 1)
            {
                progress = statement.Progress;
                _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  progress {progress:P0}"));
            }
        }

        if (statement.State == LivyStates.Cancelled)
            throw new TaskFailedException($"Statement {statement.Id} of session {sessionId} was cancelled.");
        var output = statement.Output ?? throw new TaskFailedException($"Statement {statement.Id} of session {sessionId} ended without an output.");
        if (!output.IsOk)
        {
            var lines = TracebackLines.Annotate(output.Traceback ?? [], rendered.Lines);
            foreach (var line in lines)
                _log.Write(line.EndsWith('\n') ? line : line + "\n");
            var traceback = string.Concat(lines).TrimEnd();
            throw new TaskFailedException($"Statement {statement.Id} failed: {output.Ename}: {output.Evalue}" + (traceback.Length > 0 ? "\n" + traceback : ""));
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
            _log.WriteLine($"Session {id} could not be deleted: {e.Message}. Delete it by hand; Livy also reclaims it after its heartbeat timeout.");
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
