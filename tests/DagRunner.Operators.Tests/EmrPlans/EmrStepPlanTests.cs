using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DagRunner.Operators.Emr;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.EmrPlans;

/// <summary>The steps an <see cref="EmrAddStepsOperator"/> attempt adds, built from its rendered fields, and the
/// <c>AddJobFlowSteps</c> request its preview shows.</summary>
public sealed class EmrStepPlanTests : IDisposable
{
    private const string RunId = "manual__2026-11-20T00:00:00+00:00";

    private readonly TempFolder _templates = new("emr-plan");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private TaskTemplates Templates => new(new TemplateLibrary(new TemplateOptions { TemplatesFolder = _templates.Path }));

    // Of the DAG, task and run together: two tasks (or DAGs) of one run never share a step name.
    private static string RunHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"emr_dag\nsteps\n{RunId}")))[..12];

    private TaskContext Context(int tryNumber = 1, Dictionary<string, object?>? parameters = null, string runId = RunId) => new()
    {
        DagId = "emr_dag",
        TaskId = "steps",
        RunId = runId,
        LogicalDate = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
        TryNumber = tryNumber,
        Params = parameters ?? new Dictionary<string, object?>(),
        Services = new TemplatesOnly(Templates),
    };

    private IReadOnlyList<PlannedStep> Plan(EmrAddStepsOperator task, TaskContext context) =>
        EmrStepPlan.Build(task, Templates.Render(task, context, Token), context);

    private static string Tag(TaskContext context) =>
        "dagrunner-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', context.DagId, context.TaskId, context.RunId, context.TryNumber))))[..12];

    [Fact]
    public void Build_SparkStep_SparkSubmitOptionsInOrderThenTagThenApplicationAndArgs()
    {
        var task = new EmrAddStepsOperator("steps")
        {
            JobFlowId = "j-1",
            Steps =
            {
                new EmrSparkStep
                {
                    Application = "s3://bucket/jobs/report.jar",
                    ClassName = "com.example.Report",
                    DeployMode = "client",
                    Queue = "etl",
                    Jars = { "s3://bucket/a.jar", "s3://bucket/b.jar" },
                    DriverMemory = "2g",
                    NumExecutors = 4,
                    Conf = { ["spark.sql.shuffle.partitions"] = "64" },
                    Args = { "--day", "{{ ds }}", "two words" },
                },
            },
        };
        var context = Context();

        var step = Assert.Single(Plan(task, context));

        var name = $"dagrunner-emr_dag-steps-{RunHash}-1";
        Assert.Equal(name, step.Name);
        Assert.Equal(1, step.Number);
        Assert.Equal(Tag(context) + "-1", step.Tag);
        Assert.Equal(name, step.Config.Name);
        Assert.Equal("CONTINUE", step.Config.ActionOnFailure);
        Assert.Equal("command-runner.jar", step.Config.HadoopJarStep.Jar);
        Assert.Equal(
            [
                "spark-submit",
                "--deploy-mode", "client",
                "--name", name,
                "--class", "com.example.Report",
                "--queue", "etl",
                "--jars", "s3://bucket/a.jar,s3://bucket/b.jar",
                "--driver-memory", "2g",
                "--num-executors", "4",
                "--conf", "spark.sql.shuffle.partitions=64",
                "--conf", $"spark.yarn.tags={Tag(context)}-1",
                "s3://bucket/jobs/report.jar",
                "--day", "2026-11-20", "two words",
            ],
            step.Config.HadoopJarStep.Args);
    }

    [Fact]
    public void Build_SparkStepWithItsOwnYarnTags_AttemptTagJoinsThem()
    {
        var task = new EmrAddStepsOperator("steps") { Steps = { new EmrSparkStep { Application = "s3://b/x.py", Conf = { ["spark.yarn.tags"] = "team-a" } } } };
        var context = Context();

        var args = Assert.Single(Plan(task, context)).Config.HadoopJarStep.Args!.ToList();

        Assert.Contains($"spark.yarn.tags=team-a,{Tag(context)}-1", args);
        Assert.Equal("cluster", args[args.IndexOf("--deploy-mode") + 1]);
    }

    [Fact]
    public void Build_SeveralStepsWithoutNames_NumberedNamesAndTags()
    {
        var task = new EmrAddStepsOperator("steps")
        {
            Steps = { new EmrSparkStep { Application = "s3://b/a.py" }, new EmrCommandStep { Args = { "s3-dist-cp" } }, new EmrSparkStep { Application = "s3://b/c.py" } },
        };
        var context = Context(tryNumber: 3);

        var steps = Plan(task, context);

        Assert.Equal([1, 2, 3], steps.Select(s => s.Number));
        Assert.Equal(
            [$"dagrunner-emr_dag-steps-{RunHash}-3-1", $"dagrunner-emr_dag-steps-{RunHash}-3-2", $"dagrunner-emr_dag-steps-{RunHash}-3-3"],
            steps.Select(s => s.Name));
        Assert.Equal([Tag(context) + "-1", null, Tag(context) + "-3"], steps.Select(s => s.Tag));
    }

    [Fact]
    public void Build_UserName_GetsTheRunHashAndTryAppended()
    {
        var task = new EmrAddStepsOperator("steps")
        {
            Steps = { new EmrSparkStep { Name = "aggregate-{{ ds }}", Application = "s3://b/a.py" }, new EmrSparkStep { Application = "s3://b/b.py" } },
        };

        var steps = Plan(task, Context(tryNumber: 2));

        // The user's name, rendered, then a 12-digit hash naming the attempt's run and the try.
        Assert.Matches("^aggregate-2026-11-20-[0-9a-f]{12}-2$", steps[0].Name);
        Assert.Equal($"dagrunner-emr_dag-steps-{RunHash}-2-2", steps[1].Name);
        Assert.Contains(steps[0].Name, steps[0].Config.HadoopJarStep.Args!);
        Assert.Equal(steps[0].Name, Plan(task, Context(tryNumber: 2))[0].Name);
        Assert.NotEqual(steps[0].Name, Plan(task, Context(tryNumber: 2, runId: "scheduled__2026-11-20T00:00:00+00:00"))[0].Name);
    }

    [Fact]
    public void Build_TwoStepsWithTheSameName_Refused()
    {
        var task = new EmrAddStepsOperator("steps")
        {
            Steps = { new EmrSparkStep { Name = "same", Application = "s3://b/a.py" }, new EmrCommandStep { Name = "same", Args = { "echo" } } },
        };

        var error = Assert.Throws<TaskFailedException>(() => Plan(task, Context()));

        Assert.Contains("Steps[1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("'same'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoSteps_Refused()
    {
        var error = Assert.Throws<TaskFailedException>(() => Plan(new EmrAddStepsOperator("steps") { JobFlowId = "j-1" }, Context()));

        Assert.Contains("Steps is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("terminate_cluster", "TERMINATE_CLUSTER")]
    [InlineData("CANCEL_AND_WAIT", "CANCEL_AND_WAIT")]
    [InlineData("", "CONTINUE")]
    public void Build_ActionOnFailure_UpperCasedOrDefault(string given, string sent)
    {
        var task = new EmrAddStepsOperator("steps") { Steps = { new EmrCommandStep { ActionOnFailure = given, Args = { "echo" } } } };

        Assert.Equal(sent, Assert.Single(Plan(task, Context())).Config.ActionOnFailure);
    }

    [Fact]
    public void Build_UnknownActionOnFailure_Refused()
    {
        var task = new EmrAddStepsOperator("steps") { Steps = { new EmrSparkStep { Application = "s3://b/a.py", ActionOnFailure = "RETRY" } } };

        var error = Assert.Throws<TaskFailedException>(() => Plan(task, Context()));

        Assert.Contains("Steps[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("ActionOnFailure 'RETRY'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SparkStepWithoutApplication_Refused()
    {
        var task = new EmrAddStepsOperator("steps") { Steps = { new EmrCommandStep { Args = { "echo" } }, new EmrSparkStep() } };

        var error = Assert.Throws<TaskFailedException>(() => Plan(task, Context()));

        Assert.Contains("Steps[1]: EmrSparkStep.Application is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BadDeployMode_Refused()
    {
        var task = new EmrAddStepsOperator("steps") { Steps = { new EmrSparkStep { Application = "s3://b/a.py", DeployMode = "yarn" } } };

        var error = Assert.Throws<TaskFailedException>(() => Plan(task, Context()));

        Assert.Contains("DeployMode 'yarn'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_CommandStep_JarMainClassAndArgsAsGiven()
    {
        var task = new EmrAddStepsOperator("steps")
        {
            Steps = { new EmrCommandStep { Jar = "s3://b/tool.jar", MainClass = "com.example.Tool", Args = { "--day", "{{ ds }}" } } },
        };

        var step = Assert.Single(Plan(task, Context()));

        Assert.Equal("s3://b/tool.jar", step.Config.HadoopJarStep.Jar);
        Assert.Equal("com.example.Tool", step.Config.HadoopJarStep.MainClass);
        Assert.Equal(["--day", "2026-11-20"], step.Config.HadoopJarStep.Args);
        Assert.Null(step.Tag);
    }

    [Fact]
    public void Preview_AddJobFlowSteps_JsonOfTheStepsWithTheSecretConfMasked()
    {
        var task = new EmrAddStepsOperator("steps")
        {
            JobFlowId = "j-{{ ds_nodash }}",
            Steps =
            {
                new EmrSparkStep
                {
                    Application = "s3://b/a.py",
                    Conf = { ["spark.hadoop.fs.s3a.secret.key"] = "S3cretKey-W0rd", ["spark.app.day"] = "{{ ds }}" },
                },
                new EmrCommandStep { Args = { "s3-dist-cp", "--conf", "spark.hadoop.fs.s3a.secret.key=Other-S3cret" } },
            },
        };

        var preview = TaskPreview.Build(task, Context(), [], Token);

        Assert.NotNull(preview.Request);
        Assert.Equal("AddJobFlowSteps", preview.Request.Title);
        Assert.Equal("json", preview.Request.Language);
        Assert.DoesNotContain("S3cretKey-W0rd", preview.Request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Other-S3cret", preview.Request.Body, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(preview.Request.Body);
        var root = document.RootElement;
        Assert.Equal("j-20261120", root.GetProperty("JobFlowId").GetString());
        var steps = root.GetProperty("Steps");
        Assert.Equal(2, steps.GetArrayLength());
        Assert.Equal($"dagrunner-emr_dag-steps-{RunHash}-1-1", steps[0].GetProperty("Name").GetString());
        Assert.Equal("CONTINUE", steps[0].GetProperty("ActionOnFailure").GetString());
        var args = steps[0].GetProperty("HadoopJarStep").GetProperty("Args").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal("spark-submit", args[0]);
        Assert.Contains("spark.hadoop.fs.s3a.secret.key=***", args);
        Assert.Contains("spark.app.day=2026-11-20", args);
        var commandArgs = steps[1].GetProperty("HadoopJarStep").GetProperty("Args").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(["s3-dist-cp", "--conf", "spark.hadoop.fs.s3a.secret.key=***"], commandArgs);
    }

    [Fact]
    public void Preview_SecretParam_MaskedInTheRequest()
    {
        var task = new EmrAddStepsOperator("steps") { JobFlowId = "j-1", Steps = { new EmrSparkStep { Application = "s3://b/a.py", Args = { "{{ params.api_token }}" } } } };

        var preview = TaskPreview.Build(task, Context(parameters: new() { ["api_token"] = "tok-W0rd-123456" }), [], Token);

        Assert.NotNull(preview.Request);
        Assert.DoesNotContain("tok-W0rd-123456", preview.Request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldLanguage_FirstSparkStepsApplication_DecidesTheLiteralLanguage()
    {
        var python = new EmrAddStepsOperator("steps") { JobFlowId = "j-1", Steps = { new EmrSparkStep { Application = "s3://b/a.py", Args = { "{{ true | lit }}" } } } };
        var jar = new EmrAddStepsOperator("steps") { JobFlowId = "j-1", Steps = { new EmrSparkStep { Application = "s3://b/a.jar", Args = { "{{ true | lit }}" } } } };

        Assert.Equal(["True"], Templates.Render(python, Context(), Token).Parts("Steps")[0].List("Args"));
        Assert.Equal(["true"], Templates.Render(jar, Context(), Token).Parts("Steps")[0].List("Args"));
    }

    public void Dispose() => _templates.Dispose();

    private sealed class TemplatesOnly(TaskTemplates templates) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(TaskTemplates) ? templates : null;
    }
}
