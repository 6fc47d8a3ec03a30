using System.Collections.Concurrent;
using System.Diagnostics;

namespace DagRunner.LocalLivy.Execution;

/// <summary>Starts processes on one dedicated thread. <see cref="Process.Start()"/> blocks (fork and
/// exec, under a process-wide lock on Unix), so 200 batches starting at once would otherwise tie up
/// the thread pool that serves HTTP requests; here they queue instead, and requests stay fast.
/// Jobs run at below-normal priority: on a real cluster they run on other machines than Livy, and
/// here the server must keep answering while a laptop's cores are busy with them.</summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Queue = CreateQueue();

    /// <summary>Starts <paramref name="process"/>; completes when it runs, or with the start error.</summary>
    public static Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((process, started));
        return started.Task;
    }

    private static BlockingCollection<(Process, TaskCompletionSource)> CreateQueue()
    {
        var queue = new BlockingCollection<(Process, TaskCompletionSource)>();
        var thread = new Thread(() =>
        {
            foreach (var (process, started) in queue.GetConsumingEnumerable())
            {
                try
                {
                    process.Start();
                    Lower(process);
                    started.SetResult();
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        })
        {
            IsBackground = true,
            Name = "LocalLivy process launcher",
        };
        thread.Start();
        return queue;
    }

    private static void Lower(Process process)
    {
        try
        {
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or PlatformNotSupportedException)
        {
            // It already exited, or the platform refuses; it runs at normal priority.
        }
    }
}
