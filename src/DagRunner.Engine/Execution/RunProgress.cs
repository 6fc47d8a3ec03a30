using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;

namespace DagRunner.Engine.Execution;

/// <summary>What the executor knows of one run while it runs it: the task instances as last written,
/// the tasks worth looking at next (so a pass costs what changed, not the size of the DAG), which
/// attempts are active, and the outputs downstream tasks will see.</summary>
internal sealed class RunProgress
{
    private readonly DagDefinition _dag;
    private readonly Dictionary<string, int> _index;
    private readonly List<int>[] _downstream;
    private readonly SortedSet<int> _toDecide = [];
    private readonly HashSet<string> _retrying = new(StringComparer.Ordinal);
    private readonly HashSet<string> _notFinal = new(StringComparer.Ordinal);

    public RunProgress(DagDefinition dag, Dictionary<string, TaskInstance> tasks)
    {
        _dag = dag;
        _index = dag.Tasks.Select((t, i) => (t.TaskId, i)).ToDictionary(p => p.TaskId, p => p.i, StringComparer.Ordinal);
        // From the upstream lists, which every definition has (a definition built by hand may lack Downstream).
        _downstream = dag.Tasks.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < dag.Tasks.Length; i++)
        {
            foreach (var up in dag.Tasks[i].Upstream)
            {
                if (_index.TryGetValue(up, out var from))
                    _downstream[from].Add(i);
            }
        }

        Tasks = tasks;
        foreach (var task in tasks.Values.ToList())
            Record(task);
        // Outputs of tasks that finished before a restart come back from the store as JSON.
        foreach (var task in tasks.Values.Where(t => t is { State: TaskState.Success, Output: not null }))
        {
            using var document = JsonDocument.Parse(task.Output!);
            Outputs[task.TaskId] = document.RootElement.Clone();
        }
    }

    public Dictionary<string, TaskInstance> Tasks { get; }

    /// <summary>The DAG positions of the scheduled tasks, in dependency order.</summary>
    public SortedSet<int> Scheduled { get; } = [];

    public HashSet<string> Active { get; } = new(StringComparer.Ordinal);

    /// <summary>Moves applied here and not yet written to the store.</summary>
    public List<(TaskInstance Task, RunEvent Change)> Pending { get; } = [];

    /// <summary>Attempts that ended and are not yet written to the store.</summary>
    public List<TaskAttempt> PendingAttempts { get; } = [];

    public Dictionary<string, object?> Outputs { get; } = new(StringComparer.Ordinal);

    public bool AllFinal => _notFinal.Count == 0;

    /// <summary>The definition of a task of the run, by id, without a search.</summary>
    public TaskDefinition? Definition(string taskId) => _index.TryGetValue(taskId, out var index) ? _dag.Tasks[index] : null;

    public DateTimeOffset? NextRetry => _retrying.Select(id => Tasks[id].RetryAt).Min();

    /// <summary>Keeps a task instance as written, and what its new state makes worth a look.</summary>
    public void Record(TaskInstance task)
    {
        Tasks[task.TaskId] = task;
        if (TaskMachine.IsFinal(task.State))
            _notFinal.Remove(task.TaskId);
        else
            _notFinal.Add(task.TaskId);
        if (!_index.TryGetValue(task.TaskId, out var index))
            return;
        if (task.State == TaskState.Scheduled)
            Scheduled.Add(index);
        else
            Scheduled.Remove(index);
        if (task.State == TaskState.UpForRetry)
            _retrying.Add(task.TaskId);
        else
            _retrying.Remove(task.TaskId);
        if (task.State == TaskState.None)
            _toDecide.Add(index);
        if (TaskMachine.IsFinal(task.State))
        {
            foreach (var next in _downstream[index])
                _toDecide.Add(next);
        }
    }

    /// <summary>Whether no task runs after this one: a run's outcome is its leaves' outcome.</summary>
    public bool IsLeaf(string taskId) => _downstream[_index[taskId]].Count == 0;

    /// <summary>The positions of the tasks whose upstream may have changed since the last call.</summary>
    public IReadOnlyList<int> TakeToDecide()
    {
        var taken = _toDecide.ToList();
        _toDecide.Clear();
        return taken;
    }

    /// <summary>The retries whose time has come.</summary>
    public IReadOnlyList<string> TakeDueRetries(DateTimeOffset now) =>
        [.. _retrying.Where(id => Tasks[id].RetryAt <= now)];

    /// <summary>The outputs of the task's ancestors (not only its direct upstream), as Airflow's XCom pulls see them.
    /// Walked when asked, and only when there are outputs: a 10,000-task chain of no-ops never pays for it.</summary>
    public Dictionary<string, object?> VisibleOutputs(string taskId)
    {
        var visible = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Outputs.Count == 0)
            return visible;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(_dag.Tasks[_index[taskId]].Upstream);
        while (pending.TryPop(out var id))
        {
            if (!seen.Add(id))
                continue;
            if (Outputs.TryGetValue(id, out var output))
                visible[id] = output;
            foreach (var up in _dag.Tasks[_index[id]].Upstream)
                pending.Push(up);
        }

        return visible;
    }
}
