using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// What a Livy batch and a Livy session share besides the Spark application's resources and configuration
/// (<see cref="SparkJobOperator"/>): the Livy name and the Livy connection. Every string is a template.
/// </summary>
public abstract class LivyJobOperator : SparkJobOperator
{
    /// <summary>Creates the task.</summary>
    protected LivyJobOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The Livy name. Default: a deterministic name per task attempt, so a lost response never leads to a second submission.</summary>
    [Templated]
    public string? Name { get; set; }

    /// <summary>The Livy connection. Default: <c>livy_default</c>.</summary>
    [Templated]
    public string LivyConnectionId { get; set; } = "livy_default";
}
