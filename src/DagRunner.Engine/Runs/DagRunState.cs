namespace DagRunner.Engine.Runs;

/// <summary>The state of a DAG run, with Airflow's names.</summary>
public enum DagRunState
{
    /// <summary>Created, waiting for a slot under the DAG's <c>MaxActiveRuns</c>.</summary>
    Queued,

    /// <summary>Its tasks are being run.</summary>
    Running,

    /// <summary>Every leaf task ended in success or skipped.</summary>
    Success,

    /// <summary>A leaf task failed or was never run because of an upstream failure.</summary>
    Failed,
}
