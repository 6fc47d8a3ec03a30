using DagRunner.Sdk;

namespace DagRunner.Engine.Definitions;

/// <summary>A task's settings in force: its own value, else the DAG's default, else the built-in default.</summary>
public sealed record TaskPolicy
{
    /// <summary>Built-in: no retries.</summary>
    public const int DefaultRetries = 0;

    /// <summary>Built-in pool.</summary>
    public const string DefaultPool = "default_pool";

    /// <summary>Built-in wait before a retry.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMinutes(5);

    /// <summary>Built-in longest wait between attempts.</summary>
    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromHours(24);

    /// <summary>How many times a failed attempt is retried.</summary>
    public int Retries { get; init; } = DefaultRetries;

    /// <summary>The wait before a retry.</summary>
    public TimeSpan RetryDelay { get; init; } = DefaultRetryDelay;

    /// <summary>Whether the wait doubles after every failed attempt.</summary>
    public bool RetryExponentialBackoff { get; init; }

    /// <summary>The longest wait between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = DefaultMaxRetryDelay;

    /// <summary>How long one attempt may run; <see langword="null"/> for no limit.</summary>
    public TimeSpan? ExecutionTimeout { get; init; }

    /// <summary>When the task may run, given its upstream states.</summary>
    public TriggerRule TriggerRule { get; init; } = TriggerRule.AllSuccess;

    /// <summary>The pool whose slots the task takes.</summary>
    public string Pool { get; init; } = DefaultPool;

    /// <summary>Applies the precedence task → DAG defaults → built-in defaults.</summary>
    public static TaskPolicy Resolve(TaskSettings task, TaskSettings defaults)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(defaults);
        return new TaskPolicy
        {
            Retries = task.Retries ?? defaults.Retries ?? DefaultRetries,
            RetryDelay = task.RetryDelay ?? defaults.RetryDelay ?? DefaultRetryDelay,
            RetryExponentialBackoff = task.RetryExponentialBackoff ?? defaults.RetryExponentialBackoff ?? false,
            MaxRetryDelay = task.MaxRetryDelay ?? defaults.MaxRetryDelay ?? DefaultMaxRetryDelay,
            ExecutionTimeout = task.ExecutionTimeout ?? defaults.ExecutionTimeout,
            TriggerRule = task.TriggerRule ?? defaults.TriggerRule ?? TriggerRule.AllSuccess,
            Pool = task.Pool ?? defaults.Pool ?? DefaultPool,
        };
    }
}
