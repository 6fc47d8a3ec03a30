namespace DagRunner.Hosting.Scheduling;

/// <summary>Another scheduler holds the home's <see cref="SchedulerLock"/>: two would each take over the
/// other's running runs. The CLI exits with code 2.</summary>
public sealed class SchedulerBusyException : Exception
{
    /// <summary>Creates the exception for <paramref name="home"/>.</summary>
    public SchedulerBusyException(string home)
        : base($"another scheduler is running on {home} (it holds {SchedulerLock.FileName}).") => Home = home;

    /// <summary>Creates the exception with a generic message.</summary>
    public SchedulerBusyException()
        : base("another scheduler is running.") => Home = string.Empty;

    /// <summary>Creates the exception with its cause.</summary>
    public SchedulerBusyException(string message, Exception innerException)
        : base(message, innerException) => Home = string.Empty;

    /// <summary>The home folder whose lock is held.</summary>
    public string Home { get; }
}
