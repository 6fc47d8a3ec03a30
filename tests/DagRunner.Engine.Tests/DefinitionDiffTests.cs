using DagRunner.Engine.Definitions;

namespace DagRunner.Engine.Tests;

public sealed class DefinitionDiffTests
{
    private static TaskDefinition Task(string id, params string[] upstream) => new() { TaskId = id, Operator = "ShellOperator", Policy = new TaskPolicy(), Upstream = [.. upstream] };

    private static DagDefinition Dag(string id, string? schedule, params TaskDefinition[] tasks) => new() { DagId = id, File = id + ".csx", Schedule = schedule, Tasks = [.. tasks] };

    [Fact]
    public void Describe_TasksDependenciesSchedulesAndDags()
    {
        var before = new[] { Dag("etl", "@daily", Task("a"), Task("b", "a"), Task("old")), Dag("gone", null, Task("x")) };
        var after = new[] { Dag("etl", "@hourly", Task("a"), Task("b"), Task("new", "b")), Dag("fresh", null, Task("y"), Task("z")) };

        Assert.Equal(
            [
                "etl: schedule @daily -> @hourly",
                "etl: task b now runs first (was after a)",
                "etl: task new added (ShellOperator, runs after b)",
                "etl: task old removed",
                "DAG fresh added (2 task(s))",
                "DAG gone removed",
            ],
            DefinitionDiff.Describe(before, after));
    }

    [Fact]
    public void Describe_NothingChanged_IsEmpty()
    {
        var dags = new[] { Dag("etl", "@daily", Task("a"), Task("b", "a")) };

        Assert.Empty(DefinitionDiff.Describe(dags, dags));
    }
}
