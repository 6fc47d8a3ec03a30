namespace DagRunner.Engine.Execution;

/// <summary>What a trigger rule says about a task, given its upstream states.</summary>
public enum TriggerDecision
{
    /// <summary>Upstream tasks are still going; decide later.</summary>
    Wait,

    /// <summary>The task may run now.</summary>
    Run,

    /// <summary>The task will not run; it is skipped.</summary>
    Skip,

    /// <summary>The task will not run because of upstream failures.</summary>
    UpstreamFailed,
}
