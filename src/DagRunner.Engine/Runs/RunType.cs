namespace DagRunner.Engine.Runs;

/// <summary>What created a run; it is the prefix of the run id, as in Airflow.</summary>
public enum RunType
{
    /// <summary>A user asked for it (<c>dags test</c>, <c>dags trigger</c>).</summary>
    Manual,

    /// <summary>The scheduler created it for an interval of the DAG's schedule.</summary>
    Scheduled,

    /// <summary>A backfill of a date range created it; the backfilling process runs it.</summary>
    Backfill,

    /// <summary><c>dags test</c> or <c>tasks test</c> created it; that process runs it, never the scheduler.</summary>
    Test,
}
