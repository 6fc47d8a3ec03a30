using DagRunner.Engine.Definitions;
using DagRunner.Operators;

namespace DagRunner.Hosting;

/// <summary>Checks before <c>dags test</c> that every task of a DAG can run in this version.</summary>
public static class DagTestPreflight
{
    /// <summary>The tasks whose operator is declared but not implemented yet.</summary>
    public static IReadOnlyList<TaskDefinition> UnrunnableTasks(DagDefinition dag)
    {
        ArgumentNullException.ThrowIfNull(dag);
        return [.. dag.Tasks.Where(t => t.Instance is not null && !OperatorAvailability.CanRun(t.Instance))];
    }

    /// <summary>The operators that run today, for messages.</summary>
    public static IReadOnlyList<string> RunnableOperators => OperatorAvailability.RunnableOperators;
}
