namespace DagRunner.Engine.Scheduling;

/// <summary>How often the scheduler looks at the DAGs.</summary>
public sealed class SchedulerOptions
{
    /// <summary>The pause between two passes (the DAG files are reloaded, through the compile cache, on each).
    /// A run that ends also starts a pass. Default: 5 seconds.</summary>
    public TimeSpan LoopInterval { get; init; } = TimeSpan.FromSeconds(5);
}
