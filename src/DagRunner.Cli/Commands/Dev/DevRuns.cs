using DagRunner.Cli.Output;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.LocalLivy;
using DagRunner.LocalLivy;
using DagRunner.Operators.Livy.Session;
using DagRunner.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Dev;

/// <summary>
/// <c>dev --run DAG</c>: runs the DAG (as <c>dags test</c> does, on the embedded LocalLivy when no
/// Livy is configured) at the start and after every save that changed it, cancelling a run still
/// going; in a terminal, <c>r</c> runs it again (with <c>--warm</c>, in fresh sessions) and <c>q</c> quits.
/// </summary>
internal sealed class DevRuns : IAsyncDisposable
{
    private readonly CliSession _session;
    private readonly string _dagId;
    private readonly CancellationToken _stop;
    private readonly WarmSessions? _warm;

    // Everything below is shared by the save loop and the key thread: read and written under the gate.
    private readonly Lock _gate = new();
    private DagCompilation _compilation;
    private DagDefinition? _ran;
    private CancellationTokenSource? _current;
    private Task _running = Task.CompletedTask;

    // Started by the first run that needs it (the DAG may have no Livy task, or not load, at first).
    private readonly SemaphoreSlim _livyStart = new(1, 1);
    private LocalLivyServer? _livy;

    private DevRuns(CliSession session, string dagId, DagCompilation compilation, WarmSessions? warm, CancellationToken stop)
    {
        _session = session;
        _dagId = dagId;
        _compilation = compilation;
        _warm = warm;
        _stop = stop;
    }

    public static async Task<DevRuns> StartAsync(CliSession session, string dagId, DagCompilation compilation, bool warm, CancellationTokenSource quit)
    {
        WarmSessions? sessions = null;
        if (warm)
        {
            sessions = session.Services.GetRequiredService<WarmSessions>();
            sessions.Enabled = true;
        }

        var runs = new DevRuns(session, dagId, compilation, sessions, quit.Token);
        if (session.Io.IsTerminal && !Console.IsInputRedirected)
        {
            await session.Io.Out.WriteLineAsync(warm ? $"Keys: r runs {dagId} again in fresh sessions, q quits." : $"Keys: r runs {dagId} again, q quits.").ConfigureAwait(false);
            _ = Task.Run(() => runs.ReadKeys(quit), CancellationToken.None);
        }

        await runs.RunAgainAsync(compilation, always: true).ConfigureAwait(false);
        return runs;
    }

    /// <summary>After a save: runs the DAG again when the save changed it (its file, a file it
    /// <c>#load</c>s or a template); a save of another DAG's file leaves the run alone.</summary>
    public Task RestartAsync(DagCompilation compilation) => RunAgainAsync(compilation, always: false);

    private async Task RunAgainAsync(DagCompilation compilation, bool always)
    {
        DagDefinition? dag;
        Task previous = Task.CompletedTask;
        CancellationTokenSource? next = null;
        lock (_gate)
        {
            _compilation = compilation;
            dag = compilation.Find(_dagId);
            // The loader returns the very same definition for a DAG whose sources did not change.
            if (dag is not null && !always && ReferenceEquals(dag, _ran))
                return;
            if (dag is not null)
            {
                _ran = dag;
                _current?.Cancel();
                previous = _running;
                next = CancellationTokenSource.CreateLinkedTokenSource(_stop);
                _current = next;
            }
        }

        if (dag is null || next is null)
        {
            await _session.Io.Out.WriteLineAsync($"  Not running {_dagId}: it did not load.").ConfigureAwait(false);
            return;
        }

        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_gate)
        {
            // A newer call (a save, or r) came while the previous run ended: that one runs, this one does not.
            if (!ReferenceEquals(_current, next))
            {
                next.Dispose();
                return;
            }

            _running = RunAsync(dag, next);
        }
    }

    private async Task RunAsync(DagDefinition dag, CancellationTokenSource cancel)
    {
        var io = _session.Io;
        try
        {
            await StartLivyIfNeededAsync(dag, cancel.Token).ConfigureAwait(false);
            var request = new DagTestRequest { LogicalDate = _session.Time.GetUtcNow() };
            io.Console.MarkupLine($"Running [bold]{Markup.Escape(dag.DagId)}[/] ({Markup.Escape(request.RunId)})");
            var result = await _session.TestRunner.RunAsync(dag, request, new ConsoleRunObserver(io), cancel.Token).ConfigureAwait(false);
            var failed = result.Tasks.Where(t => t.State is not (Engine.Execution.TaskState.Success or Engine.Execution.TaskState.Skipped)).Select(t => t.TaskId).ToList();
            await io.Out.WriteLineAsync(failed.Count == 0 ? $"Run of {dag.DagId}: success" : $"Run of {dag.DagId}: failed ({string.Join(", ", failed)})").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await io.Out.WriteLineAsync($"Run of {dag.DagId}: cancelled").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever broke this run (the store, the embedded Livy) is reported; watching goes on.
            await io.Error.WriteLineAsync($"Run of {dag.DagId} could not go on: {e.Message}").ConfigureAwait(false);
        }
    }

    private async Task StartLivyIfNeededAsync(DagDefinition dag, CancellationToken cancellationToken)
    {
        if (_livy is not null || !EmbeddedLivy.Needed(dag))
            return;
        await _livyStart.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _livy ??= await EmbeddedLivyStarter.StartIfNeededAsync(_session, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _livyStart.Release();
        }
    }

    private void ReadKeys(CancellationTokenSource quit)
    {
        while (!quit.IsCancellationRequested)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.KeyChar is 'q' or 'Q')
            {
                quit.Cancel();
                return;
            }

            if (key.KeyChar is 'r' or 'R')
                _ = RunFreshAsync();
        }
    }

    // r: the DAG again, whatever changed; with --warm, in new sessions (a clean slate).
    private async Task RunFreshAsync()
    {
        try
        {
            if (_warm is not null)
                await _warm.CloseAllAsync().ConfigureAwait(false);
            DagCompilation compilation;
            lock (_gate)
                compilation = _compilation;
            await RunAgainAsync(compilation, always: true).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await _session.Io.Error.WriteLineAsync($"r: {e.Message}").ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task running;
        lock (_gate)
        {
            _current?.Cancel();
            running = _running;
        }

        try
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // Before the embedded Livy stops: the kept sessions are deleted, not left to time out.
            if (_warm is not null)
                await _session.Io.Out.WriteLineAsync($"Deleted {await _warm.CloseAllAsync().ConfigureAwait(false)} warm session(s).").ConfigureAwait(false);
        }
        finally
        {
            if (_livy is not null)
                await _livy.DisposeAsync().ConfigureAwait(false);
            _livyStart.Dispose();
        }
    }
}
