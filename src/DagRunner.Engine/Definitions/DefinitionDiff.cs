namespace DagRunner.Engine.Definitions;

/// <summary>What changed between two loads of the same DAG files, in words an author reads after a
/// save: DAGs and tasks added or removed, dependencies, schedules. Pure.</summary>
public static class DefinitionDiff
{
    /// <summary>One line per change, in DAG and task order; empty when nothing changed.</summary>
    public static IReadOnlyList<string> Describe(IReadOnlyList<DagDefinition> before, IReadOnlyList<DagDefinition> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var lines = new List<string>();
        var old = before.ToDictionary(d => d.DagId, StringComparer.Ordinal);
        foreach (var dag in after)
        {
            if (!old.Remove(dag.DagId, out var previous))
            {
                lines.Add($"DAG {dag.DagId} added ({dag.Tasks.Length} task(s))");
                continue;
            }

            // Definitions are immutable: the same object is the same DAG (loaders keep unchanged ones).
            if (!ReferenceEquals(previous, dag))
                Compare(previous, dag, lines);
        }

        lines.AddRange(old.Keys.Order(StringComparer.Ordinal).Select(id => $"DAG {id} removed"));
        return lines;
    }

    private static void Compare(DagDefinition before, DagDefinition after, List<string> lines)
    {
        var id = after.DagId;
        if (before.Schedule != after.Schedule || before.TimeZone != after.TimeZone)
            lines.Add($"{id}: schedule {Schedule(before)} -> {Schedule(after)}");
        if (before.StartDate != after.StartDate || before.EndDate != after.EndDate || before.Catchup != after.Catchup)
            lines.Add($"{id}: start {before.StartDate:u} / end {before.EndDate:u} / catchup {before.Catchup} -> start {after.StartDate:u} / end {after.EndDate:u} / catchup {after.Catchup}");
        var tasks = before.Tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        foreach (var task in after.Tasks)
        {
            if (!tasks.Remove(task.TaskId, out var previous))
            {
                lines.Add($"{id}: task {task.TaskId} added ({task.Operator}{After(task)})");
                continue;
            }

            if (previous.Operator != task.Operator)
                lines.Add($"{id}: task {task.TaskId} is now a {task.Operator} (was a {previous.Operator})");
            if (!previous.Upstream.Order(StringComparer.Ordinal).SequenceEqual(task.Upstream.Order(StringComparer.Ordinal)))
                lines.Add($"{id}: task {task.TaskId} now runs {Upstream(task)} (was {Upstream(previous)})");
            if (previous.Policy != task.Policy)
                lines.Add($"{id}: task {task.TaskId} settings changed (retries {previous.Policy.Retries} -> {task.Policy.Retries}, timeout {previous.Policy.ExecutionTimeout?.ToString() ?? "none"} -> {task.Policy.ExecutionTimeout?.ToString() ?? "none"}, trigger rule {previous.Policy.TriggerRule} -> {task.Policy.TriggerRule}, pool {previous.Policy.Pool} -> {task.Policy.Pool})");
            if (!SameFields(previous, task))
                lines.Add($"{id}: task {task.TaskId} fields changed");
        }

        lines.AddRange(tasks.Keys.Select(taskId => $"{id}: task {taskId} removed"));
    }

    private static bool SameFields(TaskDefinition a, TaskDefinition b) =>
        a.Fields.Count == b.Fields.Count
        && a.Fields.All(f => b.Fields.TryGetValue(f.Key, out var other) && other.GetRawText() == f.Value.GetRawText())
        && a.Params.Count == b.Params.Count
        && a.Params.All(p => b.Params.TryGetValue(p.Key, out var other) && other.GetRawText() == p.Value.GetRawText());

    private static string Schedule(DagDefinition dag) => (dag.Schedule ?? "manual") + (dag.TimeZone == "UTC" ? "" : $" ({dag.TimeZone})");

    private static string Upstream(TaskDefinition task) => task.Upstream.Length == 0 ? "first" : "after " + string.Join(", ", task.Upstream.Order(StringComparer.Ordinal));

    private static string After(TaskDefinition task) => task.Upstream.Length == 0 ? "" : ", runs " + Upstream(task);
}
