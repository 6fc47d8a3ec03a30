namespace DagRunner.Sdk;

/// <summary>
/// When a task may run, judged from the final states of its direct upstream tasks
/// (the same rules, with the same meaning, as Airflow's trigger rules).
/// </summary>
public enum TriggerRule
{
    /// <summary>Every upstream task succeeded. The default.</summary>
    AllSuccess,

    /// <summary>Every upstream task failed or was marked upstream-failed.</summary>
    AllFailed,

    /// <summary>Every upstream task finished, whatever its outcome.</summary>
    AllDone,

    /// <summary>At least one upstream task succeeded; runs as soon as one does.</summary>
    OneSuccess,

    /// <summary>At least one upstream task failed; runs as soon as one does.</summary>
    OneFailed,

    /// <summary>No upstream task failed or was upstream-failed (successes and skips are fine).</summary>
    NoneFailed,

    /// <summary>No upstream task failed and at least one succeeded.</summary>
    NoneFailedMinOneSuccess,

    /// <summary>Runs regardless of upstream states, as soon as the run starts.</summary>
    Always,
}
