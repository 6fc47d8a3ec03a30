using System.Runtime.InteropServices;

namespace DagRunner.LocalLivy.Execution;

/// <summary>The one Unix call .NET's Process lacks: signalling a process group.</summary>
internal static partial class NativeMethods
{
    private const int SigKill = 9;

    /// <summary>Kills every process in the group led by <paramref name="leader"/> (a job's leftovers);
    /// a no-op when there is no such group or on Windows.</summary>
    public static void KillProcessGroup(int leader)
    {
        if (OperatingSystem.IsWindows() || leader <= 1)
            return;
        _ = Kill(-leader, SigKill);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
