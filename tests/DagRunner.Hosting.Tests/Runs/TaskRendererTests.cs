using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Runs;
using DagRunner.Operators;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Tests.Runs;

/// <summary><c>tasks render</c>'s renderer: a task with a list of parts (an EMR task's steps) is shown field by field.</summary>
public sealed class TaskRendererTests
{
    private static readonly DagTestRequest Request = new() { LogicalDate = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero) };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static (DagDefinition Dag, TaskDefinition Task) Definition(DagTask task)
    {
        var definition = new TaskDefinition { TaskId = task.TaskId, Operator = task.GetType().Name, Policy = new TaskPolicy(), Instance = task };
        return (new DagDefinition { DagId = "emr", File = "emr.csx", Tasks = [definition] }, definition);
    }

    private static EmrAddStepsOperator TwoSparkSteps() => new("steps")
    {
        JobFlowId = "j-{{ ds_nodash }}",
        Steps =
        {
            new EmrSparkStep { Application = "s3://bucket/jobs/a.py", Args = { "--day", "{{ ds }}" } },
            new EmrSparkStep { Application = "s3://bucket/jobs/b.py", Args = { "{{ ds }}" } },
        },
    };

    private static TaskRender Render(DagTask task)
    {
        var (dag, definition) = Definition(task);
        return new TaskRenderer(new NoServices()).Render(dag, definition, Request, Token);
    }

    [Fact]
    public void Render_EmrStepsOperator_EachStepsFieldsShownByName()
    {
        var render = Render(TwoSparkSteps());

        Assert.Null(render.Error);
        var fields = render.Fields.ToDictionary(f => f.Name, f => f.Text);
        Assert.Equal("j-20261120", fields["JobFlowId"]);
        Assert.Equal("s3://bucket/jobs/a.py", fields["Steps[0].Application"]);
        Assert.Equal("""["--day","2026-11-20"]""", fields["Steps[0].Args"]);
        Assert.Equal("s3://bucket/jobs/b.py", fields["Steps[1].Application"]);
        Assert.Equal("""["2026-11-20"]""", fields["Steps[1].Args"]);
        Assert.Equal("cluster", fields["Steps[1].DeployMode"]);
        // Empty lists and unset fields are left out; the parts list itself is not shown as one field.
        Assert.DoesNotContain("Steps[0].Jars", fields.Keys);
        Assert.DoesNotContain("Steps", fields.Keys);
        Assert.NotNull(render.Request);
        Assert.Equal("AddJobFlowSteps", render.Request.Title);
        Assert.Contains("2026-11-20", render.Request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TemplateErrorInAStep_ErrorNamesTheStepsField()
    {
        var task = TwoSparkSteps();
        ((EmrSparkStep)task.Steps[1]).Application = "s3://{{ params.bucket }}/b.py";

        var render = Render(task);

        Assert.NotNull(render.Error);
        Assert.Contains("Steps[1].Application", render.Error, StringComparison.Ordinal);
        Assert.Empty(render.Fields);
    }

    [Fact]
    public void Render_SecretConfInAStep_MaskedInTheRequest()
    {
        var task = TwoSparkSteps();
        ((EmrSparkStep)task.Steps[0]).Conf["spark.hadoop.fs.s3a.secret.key"] = "S3cret-W0rd-42";

        var render = Render(task);

        Assert.Null(render.Error);
        Assert.NotNull(render.Request);
        Assert.DoesNotContain("S3cret-W0rd-42", render.Request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SecretConfInAStep_MaskedInTheFieldsToo()
    {
        var task = TwoSparkSteps();
        ((EmrSparkStep)task.Steps[0]).Conf["spark.hadoop.fs.s3a.secret.key"] = "S3cret-W0rd-42";

        var render = Render(task);

        Assert.DoesNotContain(render.Fields, f => f.Text.Contains("S3cret-W0rd-42", StringComparison.Ordinal));
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
