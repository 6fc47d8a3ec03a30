using DagRunner.Engine.Storage;

namespace DagRunner.Hosting.Scheduling;

/// <summary>An exclusive lock file in the home folder, held while a scheduler runs. The operating
/// system drops it when the process ends, even by SIGKILL, so a crash never leaves it stale.</summary>
public static class SchedulerLock
{
    /// <summary>The lock file's name in the home folder.</summary>
    public const string FileName = "scheduler.lock";

    /// <summary>The lock, or null when another scheduler holds it.</summary>
    /// <exception cref="RunStoreException">The home cannot be written (the message says so in one line).</exception>
    public static FileStream? TryTake(string home)
    {
        var path = Path.Combine(home, FileName);
        try
        {
            Directory.CreateDirectory(home);
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new RunStoreException($"The scheduler's lock {path} cannot be created ({e.Message}): check that {home} is writable by this user, or choose another --home.", e);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
