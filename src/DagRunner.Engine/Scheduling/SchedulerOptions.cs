namespace DagRunner.Engine.Scheduling;

/// <summary>How often the scheduler looks at the DAGs.</summary>
public sealed class SchedulerOptions
{
    /// <summary>The shortest pause allowed: 0.1 seconds (a shorter one only spins the CPU).</summary>
    public static readonly TimeSpan MinLoopInterval = TimeSpan.FromSeconds(0.1);

    /// <summary>The longest pause allowed: one day (86400 seconds).</summary>
    public static readonly TimeSpan MaxLoopInterval = TimeSpan.FromDays(1);

    /// <summary>The pause between two passes (the DAG files are reloaded, through the compile cache, on each).
    /// A run that ends also starts a pass. Between <see cref="MinLoopInterval"/> and <see cref="MaxLoopInterval"/>.
    /// Default: 5 seconds.</summary>
    public TimeSpan LoopInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (LoopInterval < MinLoopInterval || LoopInterval > MaxLoopInterval)
            throw new ArgumentOutOfRangeException(nameof(LoopInterval), LoopInterval, $"The loop interval must be between {MinLoopInterval.TotalSeconds} and {MaxLoopInterval.TotalSeconds} seconds.");
    }
}
