namespace DagRunner.Sdk;

/// <summary>
/// The execution settings that a task can set for itself and a DAG can set for all of its tasks
/// through <see cref="Dag.Defaults"/>. Every value is optional: a task's own value wins over the
/// DAG's default, which wins over the built-in default documented on each property.
/// </summary>
public abstract class TaskSettings
{
    /// <summary>How many times a failed attempt is retried. Built-in default: 0.</summary>
    public int? Retries { get; set; }

    /// <summary>The wait before a retry. Built-in default: 5 minutes.</summary>
    public TimeSpan? RetryDelay { get; set; }

    /// <summary>Doubles the wait after every failed attempt (with jitter). Built-in default: false.</summary>
    public bool? RetryExponentialBackoff { get; set; }

    /// <summary>The longest wait between attempts when backing off. Built-in default: 24 hours.</summary>
    public TimeSpan? MaxRetryDelay { get; set; }

    /// <summary>
    /// How long one attempt may run before it is cancelled and its remote work is killed.
    /// Built-in default: no limit.
    /// </summary>
    public TimeSpan? ExecutionTimeout { get; set; }

    /// <summary>When the task may run, given its upstream states. Built-in default: <see cref="Sdk.TriggerRule.AllSuccess"/>.</summary>
    public TriggerRule? TriggerRule { get; set; }

    /// <summary>The named pool whose slots the task takes while it runs. Built-in default: <c>default_pool</c>.</summary>
    public string? Pool { get; set; }
}
