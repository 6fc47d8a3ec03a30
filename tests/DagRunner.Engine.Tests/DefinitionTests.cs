using System.Collections.Immutable;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Sdk;

namespace DagRunner.Engine.Tests;

public sealed class DefinitionTests
{
    private sealed class Settings : TaskSettings;

    [Fact]
    public void Resolve_TaskWinsOverDefaultsWhichWinOverBuiltIns()
    {
        var task = new Settings { Retries = 3 };
        var defaults = new Settings { Retries = 1, RetryDelay = TimeSpan.FromSeconds(30), Pool = "yarn" };

        var policy = TaskPolicy.Resolve(task, defaults);

        Assert.Equal(3, policy.Retries);
        Assert.Equal(TimeSpan.FromSeconds(30), policy.RetryDelay);
        Assert.Equal("yarn", policy.Pool);
        Assert.Equal(TriggerRule.AllSuccess, policy.TriggerRule);
        Assert.Equal(TaskPolicy.DefaultMaxRetryDelay, policy.MaxRetryDelay);
        Assert.Null(policy.ExecutionTimeout);
    }

    [Fact]
    public void Definition_RoundTripsThroughJson()
    {
        var definition = new DagDefinition
        {
            DagId = "daily_sales",
            File = "/dags/daily_sales.csx",
            Line = 3,
            Schedule = "@daily",
            StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            MaxActiveRuns = 1,
            MaxActiveTasks = 8,
            Tags = ["spark", "livy"],
            Params = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("table", JsonSerializer.SerializeToElement("sales"))]),
            Tasks =
            [
                new TaskDefinition
                {
                    TaskId = "aggregate",
                    Operator = "LivyBatchOperator",
                    Line = 9,
                    Policy = new TaskPolicy { Retries = 2, ExecutionTimeout = TimeSpan.FromHours(1), TriggerRule = TriggerRule.AllDone },
                    Downstream = ["report"],
                    Fields = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("args", JsonSerializer.SerializeToElement(new[] { "--date", "{{ ds }}" }))]),
                },
                new TaskDefinition
                {
                    TaskId = "report",
                    Operator = "LivySessionOperator",
                    Policy = new TaskPolicy(),
                    Upstream = ["aggregate"],
                },
            ],
        };

        var json = DefinitionJson.Serialize(definition);
        var back = DefinitionJson.Deserialize(json);

        Assert.Equal(json, DefinitionJson.Serialize(back));
        Assert.Equal(TriggerRule.AllDone, back.Tasks[0].Policy.TriggerRule);
        Assert.Equal("{{ ds }}", back.Tasks[0].Fields["args"][1].GetString());
        Assert.Equal(["aggregate"], back.FindTask("report")!.Upstream);
        Assert.Contains("\"triggerRule\":\"AllDone\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_NotADefinition_Throws() =>
        Assert.Throws<JsonException>(() => DefinitionJson.Deserialize("null"));

    [Fact]
    public void Overlay_LaterLayersWinKeyByKey()
    {
        var dag = new Dictionary<string, JsonElement> { ["a"] = JsonSerializer.SerializeToElement(1), ["b"] = JsonSerializer.SerializeToElement("dag") };
        var run = new Dictionary<string, JsonElement> { ["b"] = JsonSerializer.SerializeToElement(new[] { "x" }) };

        var merged = JsonValues.Overlay(dag, run);

        Assert.Equal(1L, merged["a"]);
        Assert.Equal(["x"], Assert.IsType<List<object?>>(merged["b"]));
    }
}
