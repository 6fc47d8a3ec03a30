using System.Collections.Immutable;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;

namespace DagRunner.Hosting.Runs;

/// <summary>A DAG's latest runs and their task instances, as a grid shows them: runs as columns (oldest
/// first), tasks as rows (the DAG's dependency order, then tasks only old runs have).</summary>
/// <param name="Dag">The DAG.</param>
/// <param name="Runs">The runs, oldest logical date first, conf masked.</param>
/// <param name="TaskIds">The rows.</param>
/// <param name="Cells">The task instances by (run id, task id).</param>
public sealed record GridView(
    DagDefinition Dag,
    ImmutableArray<DagRun> Runs,
    ImmutableArray<string> TaskIds,
    IReadOnlyDictionary<(string RunId, string TaskId), TaskInstance> Cells)
{
    /// <summary>The task instance of <paramref name="taskId"/> in run <paramref name="runId"/>, or null (a task added after the run).</summary>
    public TaskInstance? Cell(string runId, string taskId) => Cells.GetValueOrDefault((runId, taskId));
}
