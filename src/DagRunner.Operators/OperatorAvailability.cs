using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>Which built-in operators can run in this version; the others only compile, list and show.</summary>
public static class OperatorAvailability
{
    /// <summary>The operator types that run today.</summary>
    public static IReadOnlyList<string> RunnableOperators { get; } = [nameof(CSharpOperator), nameof(ShellOperator), nameof(LivyBatchOperator), nameof(LivySessionOperator), nameof(WebHdfsSensor)];

    private static readonly HashSet<Type> Pending =
    [
        typeof(HttpSensor),
        typeof(HttpOperator),
    ];

    /// <summary>
    /// False for a built-in operator whose behaviour is not built yet; true for the rest, including
    /// operators written by users.
    /// </summary>
    public static bool CanRun(DagTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return !Pending.Contains(task.GetType());
    }
}
