using System.Globalization;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Remote;
using DagRunner.Sdk;

namespace DagRunner.Operators.Livy.Session;

/// <summary>One attempt of a <see cref="LivySessionOperator"/>: create the session, wait for it to be
/// idle, run the statements in order, and delete the session whatever happens.</summary>
internal sealed class LivySessionRun(LivySessionOperator task, TaskContext context, RemoteClients clients)
{
    private static readonly TimeSpan CleanupBudget = TimeSpan.FromMinutes(2);

    private readonly LivyClient _livy = clients.Livy(task.LivyConnectionId);
    private readonly TextWriter _log = context.Log;

    public async Task<object?> RunAsync(CancellationToken cancellationToken)
    {
        var statements = new List<(Statement Statement, string Code)>();
        for (var i = 0; i < task.Statements.Count; i++)
            statements.Add((task.Statements[i], await CodeAsync(task.Statements[i], i, cancellationToken).ConfigureAwait(false)));
        var request = Request();
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

        _log.WriteLine($"Created Livy session {session.Id} ({Kind(task.Kind)}) on {_livy.Transport.Connection}.");
        try
        {
            session = await WaitUntilIdleAsync(session.Id, cancellationToken).ConfigureAwait(false);
            var outputs = new List<string?>();
            for (var i = 0; i < statements.Count; i++)
            {
                var (statement, code) = statements[i];
                _log.WriteLine($"Statement {i + 1}/{statements.Count} ({Describe(statement)}):");
                outputs.Add(await RunStatementAsync(session.Id, code, statement.Kind is { } kind ? Kind(kind) : null, cancellationToken).ConfigureAwait(false));
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

    private LivySessionRequest Request()
    {
        var (name, tag) = LivyJobFields.Identity(context, task);
        return LivyJobFields.Apply(
            new LivySessionRequest
            {
                Kind = Kind(task.Kind),
                // A session nobody asks about (its runner was killed) is reclaimed by Livy after this.
                HeartbeatTimeoutInSecond = task.HeartbeatTimeoutInSecond ?? (int)Math.Max(60, task.PollInterval.TotalSeconds * 30),
                Ttl = task.Ttl,
            },
            task,
            name,
            tag);
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

    private async Task<string?> RunStatementAsync(string sessionId, string code, string? kind, CancellationToken cancellationToken)
    {
        var statement = await _livy.SubmitStatementAsync(sessionId, new LivyStatementRequest(code, kind), cancellationToken).ConfigureAwait(false);
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
            foreach (var line in output.Traceback ?? [])
                _log.Write(line.EndsWith('\n') ? line : line + "\n");
            var traceback = string.Concat(output.Traceback ?? []).TrimEnd();
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
        using var budget = new CancellationTokenSource(CleanupBudget, clients.Time);
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

    private async Task<string> CodeAsync(Statement statement, int index, CancellationToken cancellationToken)
    {
        if (statement.Source == StatementSource.Inline)
            return statement.Text;
        var folders = context.Services?.GetService(typeof(StatementFolders)) as StatementFolders
            ?? throw new TaskFailedException($"Statement {index + 1} of task '{task.TaskId}' is a file, but the host offers no templates folder.");
        var root = Path.GetFullPath(folders.TemplatesFolder);
        var file = Path.GetFullPath(Path.Combine(root, statement.Text));
        if (!file.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new TaskFailedException($"Statement {index + 1} of task '{task.TaskId}': {statement.Text} is outside the templates folder.");
        try
        {
            // Templates are sent as written until rendering lands.
            return await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new TaskFailedException($"Statement {index + 1} of task '{task.TaskId}': {statement.Text} cannot be read: {e.Message}", e);
        }
    }

    private async Task<string?> FindByNameAsync(string name)
    {
        using var budget = new CancellationTokenSource(CleanupBudget, clients.Time);
        try
        {
            return (await _livy.GetSessionAsync(name, budget.Token).ConfigureAwait(false))?.Id;
        }
        catch (Exception e) when (e is RemoteApiException or OperationCanceledException)
        {
            return null;
        }
    }

    private static string Describe(Statement statement) => statement.Source switch
    {
        StatementSource.Inline => "inline",
        StatementSource.File => statement.Text,
        _ => statement.Text + " (template)",
    };

    private static string Kind(SessionKind kind) => kind switch
    {
        SessionKind.Spark => "spark",
        SessionKind.SparkR => "sparkr",
        SessionKind.Sql => "sql",
        _ => "pyspark",
    };
}
