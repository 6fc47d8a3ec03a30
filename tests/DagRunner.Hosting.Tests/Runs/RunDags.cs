using DagRunner.Engine.Definitions;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Tests.Runs;

/// <summary>Small DAGs of in-process tasks for the launcher and read-model tests.</summary>
internal static class RunDags
{
    public static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A daily DAG from three days before <see cref="Day"/>: extract, then load.</summary>
    public static DagDefinition Daily(int maxActiveRuns = 16) => new()
    {
        DagId = "etl",
        File = "etl.csx",
        Schedule = "@daily",
        Catchup = true,
        MaxActiveRuns = maxActiveRuns,
        StartDate = Day.AddDays(-3),
        Tasks =
        [
            new TaskDefinition { TaskId = "extract", Operator = "Step", Policy = new TaskPolicy(), Instance = new Step("extract"), Downstream = ["load"] },
            new TaskDefinition { TaskId = "load", Operator = "Step", Policy = new TaskPolicy(), Instance = new Step("load"), Upstream = ["extract"] },
        ],
    };

    private sealed class Step(string id) : DagTask(id)
    {
        public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            context.Log.WriteLine($"{TaskId} {context.Ds}");
            return Task.FromResult<object?>(context.Ds);
        }
    }
}
