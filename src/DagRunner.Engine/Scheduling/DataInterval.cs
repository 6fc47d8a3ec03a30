namespace DagRunner.Engine.Scheduling;

/// <summary>The span of data a scheduled run covers: its logical date is <see cref="Start"/>, and it
/// runs once <see cref="End"/> has passed, as in Airflow.</summary>
public readonly record struct DataInterval(DateTimeOffset Start, DateTimeOffset End);
