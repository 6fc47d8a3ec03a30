namespace DagRunner.Scripting.Isolation;

/// <summary>
/// The load probe: each new version of a DAG file runs first in a separate process, under a
/// memory limit, before it runs in the runner's own. A file that ends that process (an exit, a
/// crash, a thread's unhandled exception), allocates past the limit or hangs is an import error
/// of that file, and the runner never runs it.
/// </summary>
public sealed class LoadProbeOptions
{
    /// <summary>The default <see cref="MemoryLimitBytes"/>: 512 MiB.</summary>
    public const long DefaultMemoryLimitBytes = 512L * 1024 * 1024;

    /// <summary>
    /// The command that starts a probe process: an executable and its first arguments, which serve
    /// <see cref="LoadProbeHost.RunAsync"/> (the <c>dagrunner</c> executable and <see cref="LoadProbeHost.Verb"/>).
    /// </summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>
    /// How much managed memory one probe process may hold while it loads a file (its GC heap hard
    /// limit); a file that needs more is an import error. Default: 512 MiB.
    /// </summary>
    public long MemoryLimitBytes { get; init; } = DefaultMemoryLimitBytes;

    /// <summary>How many probe processes may run at once. Default: the number of processors.</summary>
    public int MaxProcesses { get; init; } = Environment.ProcessorCount;

    /// <summary>How long an idle probe process is kept for the next load (the scheduler and <c>dev</c> load again). Default: 60 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (Command.Count == 0 || string.IsNullOrWhiteSpace(Command[0]))
            throw new ArgumentException("The load probe's command is empty.", nameof(Command));
        if (MemoryLimitBytes < 32L * 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(MemoryLimitBytes), MemoryLimitBytes, "The load memory limit must be at least 32 MiB.");
        if (MaxProcesses < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxProcesses), MaxProcesses, "At least one probe process must be allowed.");
        if (IdleTimeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "The idle timeout cannot be negative.");
    }

    /// <summary>A size in mebibytes, for messages.</summary>
    internal static string Describe(long bytes) => $"{bytes / (1024 * 1024)} MB";
}
