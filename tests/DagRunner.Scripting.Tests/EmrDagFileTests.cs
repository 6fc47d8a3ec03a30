using System.Text.Json;

namespace DagRunner.Scripting.Tests;

/// <summary>A DAG file with EMR tasks: its steps (a list of parts, Spark and command) load, are checked at load, and
/// are stored in the definition with their kind.</summary>
public sealed class EmrDagFileTests
{
    private const string EmrDag = """
        var dag = new Dag("emr_file");
        dag.Add(new EmrAddStepsOperator("steps")
        {
            JobFlowId = "j-{{ ds_nodash }}",
            Steps =
            {
                new EmrSparkStep
                {
                    Name = "aggregate",
                    Application = "s3://bucket/jobs/aggregate.py",
                    Args = { "--date", "{{ ds }}" },
                    Conf = { ["spark.sql.shuffle.partitions"] = "64" },
                    NumExecutors = 4,
                },
                new EmrCommandStep
                {
                    Args = { "s3-dist-cp", "--src=s3://bucket/{{ ds }}/", "--dest=hdfs:///in/" },
                    ActionOnFailure = "CANCEL_AND_WAIT",
                },
            },
            WaitForCompletion = false,
        });
        """;

    [Fact]
    public async Task Load_AddStepsWithASparkAndACommandStep_NoErrors_BothStepsStoredWithTheirKind()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("emr.csx", EmrDag);

        var result = await fixture.LoadAsync();

        Assert.Empty(result.Errors);
        var task = Assert.Single(result.Find("emr_file")!.Tasks);
        Assert.Equal("EmrAddStepsOperator", task.Operator);
        Assert.Equal("j-{{ ds_nodash }}", task.Fields["jobFlowId"].GetString());
        var steps = task.Fields["steps"];
        Assert.Equal(JsonValueKind.Array, steps.ValueKind);
        Assert.Equal(2, steps.GetArrayLength());
        var spark = steps[0];
        var command = steps[1];
        Assert.Equal("spark", spark.GetProperty("kind").GetString());
        Assert.Equal("command", command.GetProperty("kind").GetString());
        Assert.Equal("s3://bucket/jobs/aggregate.py", Property(spark, "application").GetString());
        Assert.Equal("aggregate", Property(spark, "name").GetString());
        Assert.Equal(["--date", "{{ ds }}"], Property(spark, "args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(4, Property(spark, "numExecutors").GetInt32());
        Assert.Equal("command-runner.jar", Property(command, "jar").GetString());
        Assert.Equal("CANCEL_AND_WAIT", Property(command, "actionOnFailure").GetString());
        Assert.Equal("s3-dist-cp", Property(command, "args")[0].GetString());
    }

    [Fact]
    public async Task Load_TemplateErrorInAStep_ReportedAtLoadNamingTheStepsField()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("emr.csx", EmrDag.Replace("\"--date\", \"{{ ds }}\"", "\"--date\", \"{{ dss }}\"", StringComparison.Ordinal));

        var result = await fixture.LoadAsync();

        var error = Assert.Single(result.Errors);
        Assert.Contains("Steps[0].Args[1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("dss", error.Message, StringComparison.Ordinal);
    }

    // The stored names follow the definition's JSON policy; either spelling is the same field.
    private static JsonElement Property(JsonElement element, string camelName)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, camelName, StringComparison.OrdinalIgnoreCase))
                return property.Value;
        }

        Assert.Fail($"no '{camelName}' in {element.GetRawText()}");
        return default;
    }
}
