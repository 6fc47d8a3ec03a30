using DagRunner.Engine.Definitions;

namespace DagRunner.Scripting.Isolation;

/// <summary>How a probe process ended while it ran a file: its exit code (null when it had to be
/// killed) and the last lines it wrote to standard error.</summary>
internal sealed record ProbeDeath(int? ExitCode, IReadOnlyList<string> ErrorTail, ImportError? Located)
{
    /// <summary>Starts the line on which a dying probe says where in the file it was (<see cref="LoadProbeHost"/>).</summary>
    public const string LocatedMarker = "##dagrunner-probe-located ";

    /// <summary>Whether the runtime said it ran out of memory: the heap limit, reached outside an allocation the file could catch.</summary>
    public bool OutOfMemory => ErrorTail.Any(l => l.Contains("OutOfMemoryException", StringComparison.Ordinal) || l.StartsWith("Out of memory", StringComparison.Ordinal));

    /// <summary>One sentence on how the process ended.</summary>
    public string Describe()
    {
        if (ErrorTail.FirstOrDefault(l => l.StartsWith("Unhandled exception.", StringComparison.Ordinal)) is { } unhandled)
            return $"an exception nothing caught ended it, outside the file's load (a thread or callback it started): {unhandled["Unhandled exception.".Length..].Trim()}";
        if (ErrorTail.Any(l => l.StartsWith("Stack overflow", StringComparison.Ordinal)))
            return "a stack overflow ended it (deep recursion in code the host cannot guard, such as a #r library)";
        if (ErrorTail.FirstOrDefault(l => l.StartsWith("Process terminated.", StringComparison.Ordinal)) is { } terminated)
            return $"it was terminated: {terminated["Process terminated.".Length..].Trim()} (Environment.FailFast?)";
        return ExitCode switch
        {
            null => "it stopped answering and was killed",
            > 128 and < 160 => $"it was killed by signal {ExitCode - 128}",
            _ => $"it exited with code {ExitCode} (Environment.Exit, directly or through a library or reflection)",
        };
    }
}
