namespace DagRunner.Engine.Execution;

/// <summary>The state of one task instance, with Airflow's names and meanings.</summary>
public enum TaskState
{
    /// <summary>Not considered yet.</summary>
    None,

    /// <summary>Its dependencies are met; waiting for a slot.</summary>
    Scheduled,

    /// <summary>Handed to the executor.</summary>
    Queued,

    /// <summary>An attempt is running.</summary>
    Running,

    /// <summary>Finished successfully.</summary>
    Success,

    /// <summary>Finished with a failure and no retries left.</summary>
    Failed,

    /// <summary>Failed; another attempt follows after the retry delay.</summary>
    UpForRetry,

    /// <summary>Not run because upstream tasks failed.</summary>
    UpstreamFailed,

    /// <summary>Not run because its trigger rule ruled it out.</summary>
    Skipped,

    /// <summary>The task no longer exists in the DAG's definition.</summary>
    Removed,
}
