namespace DagRunner.Engine.Runs;

/// <summary>One line of a run's event log: a state change of the run or of one of its tasks.</summary>
public sealed record RunEvent
{
    /// <summary>The DAG's id.</summary>
    public required string DagId { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The task's id; null for a change of the run itself.</summary>
    public string? TaskId { get; init; }

    /// <summary>The attempt, for task events.</summary>
    public int TryNumber { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The state before, by name.</summary>
    public required string From { get; init; }

    /// <summary>The state after, by name.</summary>
    public required string To { get; init; }

    /// <summary>Why, when there is more to say (an error, a retry time).</summary>
    public string? Message { get; init; }
}
