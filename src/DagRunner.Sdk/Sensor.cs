namespace DagRunner.Sdk;

/// <summary>
/// A task that waits for a condition: it pokes every <see cref="PokeInterval"/> until the
/// condition holds, and fails when <see cref="Timeout"/> passes first.
/// </summary>
public abstract class Sensor : DagTask
{
    /// <summary>Creates a sensor with the given id.</summary>
    protected Sensor(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The wait between two pokes. Default: 60 seconds.</summary>
    public TimeSpan PokeInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for the condition before failing. Default: 7 days.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromDays(7);
}
