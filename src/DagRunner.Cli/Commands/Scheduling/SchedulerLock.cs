namespace DagRunner.Cli.Commands.Scheduling;

/// <summary>An exclusive lock file in the home folder, held while a scheduler runs. The operating
/// system drops it when the process ends, even by SIGKILL, so a crash never leaves it stale.</summary>
internal static class SchedulerLock
{
    public const string FileName = "scheduler.lock";

    public static FileStream? TryTake(string home)
    {
        Directory.CreateDirectory(home);
        try
        {
            return new FileStream(Path.Combine(home, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
