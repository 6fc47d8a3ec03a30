using System.Runtime.InteropServices;

namespace DagRunner.Cli;

/// <summary>
/// Ctrl+C and SIGTERM, in two steps: the first asks the command to stop (a scheduler stops scheduling
/// and leaves remote jobs running for its next start), the second to cancel (remote jobs are
/// stopped too). Commands that have only one way to stop take the first as cancellation.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    private ShutdownSignals(CancellationToken external) => _stop = CancellationTokenSource.CreateLinkedTokenSource(external);

    /// <summary>Cancelled at the first signal (or when the caller's token is).</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Cancelled at the second signal.</summary>
    public CancellationToken Cancel => _cancel.Token;

    /// <summary>Signals of this process.</summary>
    public static ShutdownSignals FromProcess(TextWriter error)
    {
        var signals = new ShutdownSignals(CancellationToken.None);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            signals._registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // Handled here: the process ends when the command has stopped, not at the signal.
                context.Cancel = true;
                if (!signals._stop.IsCancellationRequested)
                {
                    error.WriteLine("Stopping (press Ctrl+C again to cancel running work too)...");
                    signals._stop.Cancel();
                }
                else
                {
                    signals._cancel.Cancel();
                }
            }));
        }

        return signals;
    }

    /// <summary>Signals that are only the caller's token (tests, embedding): it stops; nothing cancels.</summary>
    public static ShutdownSignals From(CancellationToken stop) => new(stop);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _stop.Dispose();
        _cancel.Dispose();
    }
}
