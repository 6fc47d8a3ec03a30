namespace DagRunner.Engine.Execution;

/// <summary>
/// Hears what a run does as it happens, to show it (terminal, UI). Every method may be called
/// from the thread that runs the task; the default does nothing.
/// </summary>
public class DagRunObserver
{
    /// <summary>A task's attempt starts.</summary>
    public virtual void TaskStarted(string taskId, int attempt)
    {
    }

    /// <summary>A task wrote a line to its log.</summary>
    public virtual void TaskLog(string taskId, string line)
    {
    }

    /// <summary>An attempt failed and another follows at <paramref name="retryAt"/>.</summary>
    public virtual void TaskRetrying(string taskId, int attempt, string? reason, DateTimeOffset retryAt)
    {
    }

    /// <summary>A task reached its final state.</summary>
    public virtual void TaskFinished(TaskOutcome outcome)
    {
    }
}
