using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace DagRunner.Sdk.Runtime;

/// <summary>
/// The checkpoint the host weaves into script code (every loop body, every method entry) so a
/// runaway script can be stopped: .NET cannot abort a thread, but it can make the script's own
/// code throw. Not for use in DAG files.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ScriptGuard
{
    private static readonly AsyncLocal<Watched?> Current = new();

    /// <summary>Throws when the surrounding watch was cancelled or the stack is about to overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check()
    {
        if (Current.Value is { Token.IsCancellationRequested: true } watched && watched.MayStop())
        {
            watched.Token.ThrowIfCancellationRequested();
        }

        // Deep recursion would otherwise end the whole process with a stack overflow.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new InsufficientExecutionStackException("The script recursed too deeply and was stopped.");
        }
    }

    /// <summary>Makes <see cref="Check"/> throw once <paramref name="cancellationToken"/> is cancelled, for code running in this execution context.</summary>
    public static IDisposable Watch(CancellationToken cancellationToken)
    {
        var previous = Current.Value;
        Current.Value = new Watched(Environment.CurrentManagedThreadId, cancellationToken);
        return new Restore(previous);
    }

    private sealed class Restore(Watched? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }

    // The watch flows into every thread started under it. Throwing stops code on the watching
    // thread and in tasks (pool threads, where the exception ends the task); on a thread of its
    // own that a script or its library started, an exception nothing catches would end the whole
    // process, so the guard leaves such a thread alone.
    private sealed record Watched(int OwnerThreadId, CancellationToken Token)
    {
        public bool MayStop() => Environment.CurrentManagedThreadId == OwnerThreadId || Thread.CurrentThread.IsThreadPoolThread;
    }
}
