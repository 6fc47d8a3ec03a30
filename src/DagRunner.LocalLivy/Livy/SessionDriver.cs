using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Execution;
using DagRunner.LocalLivy.Wire;

namespace DagRunner.LocalLivy.Livy;

/// <summary>A session's driver: the interpreter process and the statements it ran, which, like a
/// Livy RSC driver, survive a restart of the Livy front that reattaches to it.</summary>
internal sealed class SessionDriver
{
    private readonly Lock _lock = new();
    private readonly List<LivyStatement> _statements = [];
    private readonly Channel<LivyStatement> _queue = Channel.CreateUnbounded<LivyStatement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PythonRepl _repl;
    private readonly TimeProvider _time;
    private readonly int _retained;
    private readonly string _defaultKind;
    private int _nextStatementId;
    private int _pending;
    private bool _stopping;
    private bool _killedByFault;
    private bool _inFlight;
    private string _state = LivyStates.Starting;

    public SessionDriver(ClusterApp app, PythonRepl repl, string defaultKind, TimeProvider time, int retainedStatements, int? dieOnStatement)
    {
        App = app;
        _repl = repl;
        _defaultKind = defaultKind;
        _time = time;
        _retained = retainedStatements;
        DieOnStatement = dieOnStatement;
    }

    public ClusterApp App { get; }

    /// <summary>The statement id at whose start the driver dies (a fault on demand).</summary>
    public int? DieOnStatement { get; }

    /// <summary>Where the interpreter's stderr goes (the current Livy record's log).</summary>
    public Action<string> Log { get; set; } = _ => { };

    /// <summary>Called when the session becomes busy or idle again, which Livy counts as activity.</summary>
    public Action Activity { get; set; } = () => { };

    /// <summary>Called once when the driver is gone for good, with the Livy state the session ends
    /// in (<c>dead</c>, or <c>killed</c> when YARN killed it).</summary>
    public Action<string> Died { get; set; } = _ => { };

    /// <summary>The REPL state as Livy reports it: <c>starting</c>, <c>idle</c>, <c>busy</c>, <c>error</c> or <c>dead</c>.</summary>
    public string State
    {
        get
        {
            lock (_lock)
                return _state;
        }
    }

    /// <summary>Waits for the interpreter to say it is ready, then starts taking statements.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        try
        {
            var ready = await _repl.Ready.WaitAsync(timeout, _time).ConfigureAwait(false);
            Log("LocalLivy: " + ready.Message);
        }
        catch (Exception e) when (e is ReplDiedException or TimeoutException)
        {
            Log($"LocalLivy: the Python interpreter did not start: {e.Message}");
            _repl.Kill();
            Die(YarnState.Failed, "The interpreter did not start: " + e.Message);
            return;
        }

        // Running in YARN first, so a client never sees `idle` without appInfo.
        App.MarkRunning();
        lock (_lock)
        {
            if (_state == LivyStates.Starting)
                _state = LivyStates.Idle;
        }

        _ = RunStatementsAsync();
        _ = WatchExitAsync();
    }

    public LivyStatement Submit(string code, string? kind)
    {
        lock (_lock)
        {
            var statement = new LivyStatement(_nextStatementId++, code, kind ?? _defaultKind);
            _statements.Add(statement);
            if (_statements.Count > _retained)
                _statements.RemoveAt(0);
            _pending++;
            if (_state == LivyStates.Idle)
                _state = LivyStates.Busy;
            _queue.Writer.TryWrite(statement);
            return statement;
        }
    }

    /// <summary>Cancels a statement: a waiting one at once, a running one by interrupting the interpreter.</summary>
    public void Cancel(int statementId)
    {
        bool interrupt;
        lock (_lock)
        {
            var statement = _statements.Find(s => s.Id == statementId);
            if (statement is null || statement.State is LivyStates.Available or LivyStates.Cancelled)
                return;
            statement.CancelRequested = true;
            interrupt = statement.State == LivyStates.Running;
            if (statement.State == LivyStates.Waiting)
            {
                statement.State = LivyStates.Cancelled;
                statement.Completed = Now;
            }
            else
            {
                statement.State = LivyStates.Cancelling;
            }
        }

        if (interrupt)
            _ = _repl.InterruptAsync(statementId);
    }

    public StatementView? Find(int statementId)
    {
        lock (_lock)
            return _statements.Find(s => s.Id == statementId)?.View();
    }

    public IReadOnlyList<StatementView> Statements()
    {
        lock (_lock)
            return [.. _statements.Select(s => s.View())];
    }

    /// <summary>Stops the interpreter (DELETE, timeouts, server shutdown); the app finishes as a
    /// driver that shut down cleanly.</summary>
    public async Task StopAsync()
    {
        lock (_lock)
            _stopping = true;
        _queue.Writer.TryComplete();
        await _repl.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        Die(YarnState.Succeeded, "");
    }

    /// <summary>Kills the interpreter as a crashed driver would die: the session goes <c>dead</c> and
    /// a running statement never completes.</summary>
    public void KillDriver()
    {
        lock (_lock)
            _killedByFault = true;
        _repl.Kill();
    }

    /// <summary>YARN killed the app: the session goes <c>killed</c>.</summary>
    public async Task KillFromYarnAsync()
    {
        lock (_lock)
            _killedByFault = true;
        App.Finish(YarnState.Killed, YarnState.Killed, $"Application {App.Id} was killed by user {App.User} at 127.0.0.1", _time.GetUtcNow());
        _repl.Kill();
        await _repl.Exited.ConfigureAwait(false);
        Die(YarnState.Killed, "");
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task RunStatementsAsync()
    {
        await foreach (var statement in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            lock (_lock)
            {
                if (statement.State == LivyStates.Cancelled)
                {
                    FinishPendingLocked();
                    continue;
                }

                statement.State = LivyStates.Running;
                statement.Started = Now;
                _inFlight = true;
            }

            Activity();
            var job = App.StartJob($"Livy statement {statement.Id}", statement.Id.ToString(CultureInfo.InvariantCulture), _time.GetUtcNow());
            if (DieOnStatement == statement.Id)
                KillDriver();

            var output = await ExecuteAsync(statement).ConfigureAwait(false);
            if (output is null)
                return;

            lock (_lock)
            {
                _inFlight = false;
                statement.Output = output;
                statement.State = statement.CancelRequested ? LivyStates.Cancelled : LivyStates.Available;
                statement.Completed = Now;
                FinishPendingLocked();
            }

            job.Complete(output["status"]?.GetValue<string>() == "ok" && !statement.CancelRequested, _time.GetUtcNow());
            Activity();
        }
    }

    // Null when the driver is gone and the statement will never complete (Livy's dead driver).
    private async Task<JsonObject?> ExecuteAsync(LivyStatement statement)
    {
        if (!SessionKinds.RunsInPython(statement.Kind))
            return Error(statement.Id, "InterpreterError", $"Fail to start interpreter: LocalLivy runs Python (pyspark) and SQL statements; '{statement.Kind}' statements need a Spark cluster.");
        if (State == LivyStates.Error)
            return Error(statement.Id, "Error", "Interpreter died:\nThe interpreter of this session has exited.");

        try
        {
            return await _repl.ExecuteAsync(statement.Id, statement.Code, statement.Kind).ConfigureAwait(false);
        }
        catch (ReplDiedException e)
        {
            bool crashed;
            lock (_lock)
                crashed = !_killedByFault && !_stopping;
            if (!crashed)
            {
                Die(YarnState.Failed, $"The driver of {App.Id} was lost.");
                return null;
            }

            if (e.LauncherLost)
                return DieOfLostLauncher();

            // The user's code ended the interpreter (os._exit, a crash): Livy reports it in the
            // statement and leaves the session in `error`.
            lock (_lock)
                _state = LivyStates.Error;
            App.Finish(YarnState.Finished, YarnState.Failed, $"User application exited with status {e.ExitCode}", _time.GetUtcNow(), e.ExitCode);
            return Error(statement.Id, "Error", $"Interpreter died:\n{e.Message}");
        }
    }

    // An interpreter that exits between statements (killed, crashed) leaves a dead session; one
    // that died inside a statement has already put the session in `error`, which Livy keeps.
    private async Task WatchExitAsync()
    {
        var code = await _repl.Exited.ConfigureAwait(false);
        bool killed;
        lock (_lock)
        {
            if (_stopping || _inFlight || _state == LivyStates.Error)
                return;
            killed = _killedByFault;
        }

        if (_repl.LauncherLost && !killed)
            DieOfLostLauncher();
        else
            Die(YarnState.Failed, $"The driver of {App.Id} exited with code {code}.");
    }

    // The session's code killed the interpreter's launcher: as a Livy whose driver was killed, the
    // session is dead and a running statement never completes (null).
    private JsonObject? DieOfLostLauncher()
    {
        Log("LocalLivy: " + JobLauncher.SessionLostMessage);
        Die(YarnState.Failed, JobLauncher.SessionLostMessage);
        return null;
    }

    private void FinishPendingLocked()
    {
        _pending--;
        if (_pending == 0 && _state == LivyStates.Busy)
            _state = LivyStates.Idle;
    }

    private void Die(string finalStatus, string diagnostics)
    {
        lock (_lock)
        {
            if (_state == LivyStates.Dead)
                return;
            _state = LivyStates.Dead;
        }

        var state = finalStatus switch
        {
            YarnState.Killed => YarnState.Killed,
            YarnState.Succeeded => YarnState.Finished,
            _ => YarnState.Failed,
        };
        App.Finish(state, finalStatus, diagnostics, _time.GetUtcNow());
        _queue.Writer.TryComplete();
        Died(finalStatus == YarnState.Killed ? LivyStates.Killed : LivyStates.Dead);
    }

    private static JsonObject Error(int id, string name, string value) => new()
    {
        ["status"] = "error",
        ["execution_count"] = id,
        ["ename"] = name,
        ["evalue"] = value,
        ["traceback"] = new JsonArray(),
    };
}
