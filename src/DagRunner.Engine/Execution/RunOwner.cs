using System.Diagnostics;
using System.Globalization;

namespace DagRunner.Engine.Execution;

/// <summary>
/// The names runners claim runs under: <c>&lt;host&gt;:&lt;pid&gt;:&lt;process start, Unix ms&gt;:&lt;random&gt;</c>.
/// The host, pid and start time let the next runner on the same machine see at once that a holder's
/// process is gone (killed), instead of waiting for its heartbeat to go stale; the start time tells a
/// reused pid from the original. The random part tells two executors of one process apart.
/// </summary>
public static class RunOwner
{
    private static readonly long ProcessStart = StartOf(Process.GetCurrentProcess());

    /// <summary>A new owner name for this process.</summary>
    public static string NewId() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{ProcessStart}:{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>Whether <paramref name="holder"/> was a process on this machine that has ended. A holder
    /// on another machine, or one whose name this cannot read, is never judged gone: its heartbeat decides.</summary>
    public static bool IsGone(string holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        var parts = holder.Split(':');
        if (parts.Length != 4 || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var started))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
            return started != ProcessStart;
        try
        {
            using var process = Process.GetProcessById(pid);
            // Start times read twice may differ by a rounding; a reused pid starts much later.
            return process.HasExited || Math.Abs(StartOf(process) - started) > 2_000;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return true;
        }
    }

    /// <summary>A holder as people read it: <c>process 1234 on host</c>.</summary>
    public static string Describe(string holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        return holder.Split(':') is [var host, var pid, _, _] ? $"process {pid} on {host}" : holder;
    }

    private static long StartOf(Process process) => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
}
