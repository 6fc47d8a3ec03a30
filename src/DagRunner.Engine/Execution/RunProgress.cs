using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;

namespace DagRunner.Engine.Execution;

/// <summary>What the executor knows of one run while it runs it: the task instances as last written,
/// which attempts are active, and the outputs downstream tasks will see.</summary>
internal sealed class RunProgress
{
    public RunProgress(DagDefinition dag, Dictionary<string, TaskInstance> tasks)
    {
        Tasks = tasks;
        Ancestors = AncestorsOf(dag);
        // Outputs of tasks that finished before a restart come back from the store as JSON.
        foreach (var task in tasks.Values.Where(t => t is { State: TaskState.Success, Output: not null }))
        {
            using var document = JsonDocument.Parse(task.Output!);
            Outputs[task.TaskId] = document.RootElement.Clone();
        }
    }

    public Dictionary<string, TaskInstance> Tasks { get; }

    public HashSet<string> Active { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, object?> Outputs { get; } = new(StringComparer.Ordinal);

    public bool AllFinal => Tasks.Values.All(t => TaskMachine.IsFinal(t.State));

    public DateTimeOffset? NextRetry => Tasks.Values.Where(t => t.State == TaskState.UpForRetry).Min(t => t.RetryAt);

    private Dictionary<string, HashSet<string>> Ancestors { get; }

    /// <summary>The outputs of the task's ancestors (not only its direct upstream), as Airflow's XCom pulls see them.</summary>
    public Dictionary<string, object?> VisibleOutputs(string taskId) =>
        Outputs.Where(o => Ancestors[taskId].Contains(o.Key)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);

    private static Dictionary<string, HashSet<string>> AncestorsOf(DagDefinition dag)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var task in dag.Tasks)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var up in task.Upstream)
            {
                set.Add(up);
                set.UnionWith(result[up]);
            }

            result[task.TaskId] = set;
        }

        return result;
    }
}
