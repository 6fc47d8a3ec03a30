using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Engine.Execution;

/// <summary>
/// Keeps a claimed run claimed while it runs: a heartbeat every <see cref="ExecutorOptions.ClaimHeartbeat"/>,
/// and <see cref="Lost"/> fires when the store shows another holder (this runner was stale and was taken
/// over). Disposing stops the heartbeat and lets the run go, so the next runner need not wait.
/// </summary>
internal sealed class RunClaimKeeper : IAsyncDisposable
{
    private readonly IRunStore _store;
    private readonly DagRun _run;
    private readonly ExecutorOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beating;

    public RunClaimKeeper(IRunStore store, DagRun run, ExecutorOptions options, TimeProvider time)
    {
        (_store, _run, _options, _time) = (store, run, options, time);
        _beating = BeatAsync();
    }

    /// <summary>Fires when the run was taken over by another runner.</summary>
    public CancellationToken Lost => _lost.Token;

    private async Task BeatAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.ClaimHeartbeat, _time, _stop.Token).ConfigureAwait(false);
                try
                {
                    if (!await _store.RenewClaimAsync(_run.DagId, _run.RunId, _options.Owner, _time.GetUtcNow(), _stop.Token).ConfigureAwait(false))
                    {
                        await _lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
                {
                    // A busy or failing store: the next beat tries again; the claim goes stale only after many.
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Stopped, or the store was closed under the run.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _beating.ConfigureAwait(false);
        try
        {
            if (!_lost.IsCancellationRequested)
                await _store.ReleaseClaimAsync(_run.DagId, _run.RunId, _options.Owner, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The store closed first: the claim goes stale on its own.
        }
        finally
        {
            _stop.Dispose();
            _lost.Dispose();
        }
    }
}
