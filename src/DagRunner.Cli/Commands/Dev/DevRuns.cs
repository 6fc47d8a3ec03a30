using DagRunner.Cli.Output;
using DagRunner.Engine.Testing;
using DagRunner.Hosting.LocalLivy;
using DagRunner.LocalLivy;
using DagRunner.Operators.Livy.Session;
using DagRunner.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Dev;

/// <summary>
/// <c>dev --run DAG</c>: runs the DAG (as <c>dags test</c> does, on the embedded LocalLivy when no
/// Livy is configured) at the start and after every good save, cancelling a run still going; in a
/// terminal, <c>r</c> runs it again and <c>q</c> quits.
/// </summary>
internal sealed class DevRuns : IAsyncDisposable
{
    private readonly CliSession _session;
    private readonly string _dagId;
    private readonly CancellationToken _stop;
    private readonly Lock _gate = new();
    private LocalLivyServer? _livy;
    private DagCompilation _compilation;
    private Engine.Definitions.DagDefinition? _ran;
    private WarmSessions? _warm;
    private CancellationTokenSource? _current;
    private Task _running = Task.CompletedTask;

    private DevRuns(CliSession session, string dagId, DagCompilation compilation, CancellationToken stop)
    {
        _session = session;
        _dagId = dagId;
        _compilation = compilation;
        _stop = stop;
    }

    public static async Task<DevRuns> StartAsync(CliSession session, string dagId, DagCompilation compilation, bool warm, CancellationTokenSource quit, CancellationToken cancellationToken)
    {
        var runs = new DevRuns(session, dagId, compilation, quit.Token);
        if (warm)
        {
            runs._warm = session.Services.GetRequiredService<WarmSessions>();
            runs._warm.Enabled = true;
        }

        if (compilation.Find(dagId) is { } dag)
            runs._livy = await EmbeddedLivyStarter.StartIfNeededAsync(session, EmbeddedLivy.Needed(dag), cancellationToken).ConfigureAwait(false);
        if (session.Io.IsTerminal && !Console.IsInputRedirected)
        {
            await session.Io.Out.WriteLineAsync($"Keys: r runs {dagId} again, q quits.").ConfigureAwait(false);
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
        _compilation = compilation;
        var io = _session.Io;
        if (compilation.Find(_dagId) is not { } dag)
        {
            await io.Out.WriteLineAsync($"  Not running {_dagId}: it did not load.").ConfigureAwait(false);
            return;
        }

        // The loader returns the very same definition for a DAG whose sources did not change.
        if (!always && ReferenceEquals(dag, _ran))
            return;
        _ran = dag;

        Task previous;
        CancellationTokenSource next;
        lock (_gate)
        {
            _current?.Cancel();
            previous = _running;
            next = CancellationTokenSource.CreateLinkedTokenSource(_stop);
            _current = next;
        }

        await previous.ConfigureAwait(false);
        var request = new DagTestRequest { LogicalDate = _session.Time.GetUtcNow() };
        lock (_gate)
            _running = RunAsync(dag, request, next);
    }

    private async Task RunAsync(Engine.Definitions.DagDefinition dag, DagTestRequest request, CancellationTokenSource cancel)
    {
        var io = _session.Io;
        try
        {
            io.Console.MarkupLine($"Running [bold]{Markup.Escape(dag.DagId)}[/] ({Markup.Escape(request.RunId)})");
            var result = await _session.TestRunner.RunAsync(dag, request, new ConsoleRunObserver(io), cancel.Token).ConfigureAwait(false);
            var failed = result.Tasks.Where(t => t.State is not (Engine.Execution.TaskState.Success or Engine.Execution.TaskState.Skipped)).Select(t => t.TaskId).ToList();
            await io.Out.WriteLineAsync(failed.Count == 0 ? $"Run of {dag.DagId}: success" : $"Run of {dag.DagId}: failed ({string.Join(", ", failed)})").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await io.Out.WriteLineAsync($"Run of {dag.DagId}: cancelled").ConfigureAwait(false);
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
                _ = RunAgainAsync(_compilation, always: true);
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

        await running.ConfigureAwait(false);
        // Before the embedded Livy stops: the kept sessions are deleted, not left to time out.
        if (_warm is not null)
            await _session.Io.Out.WriteLineAsync($"Deleted {await _warm.CloseAllAsync().ConfigureAwait(false)} warm session(s).").ConfigureAwait(false);
        if (_livy is not null)
            await _livy.DisposeAsync().ConfigureAwait(false);
    }
}
