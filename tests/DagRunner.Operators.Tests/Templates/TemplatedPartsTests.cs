using System.Text.Json;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Templates;

/// <summary>A list field of parts (an EMR task's steps): each part's own [Templated] fields are found, rendered,
/// named (<c>Steps[1].Args[0]</c>) and checked at load like the task's.</summary>
public sealed class TemplatedPartsTests : IDisposable
{
    private readonly TempFolder _templates = new("parts");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private TaskTemplates Templates => new(new TemplateLibrary(new TemplateOptions { TemplatesFolder = _templates.Path }));

    private TaskContext Context(Action<string>? onRendered = null) => new()
    {
        DagId = "emr_dag",
        TaskId = "steps",
        RunId = "manual__2026-11-20T00:00:00+00:00",
        LogicalDate = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
        DataIntervalStart = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
        DataIntervalEnd = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero),
        Params = new Dictionary<string, object?> { ["bucket"] = "data-lake" },
        Services = new TemplatesOnly(Templates),
        OnRendered = onRendered,
    };

    private static EmrAddStepsOperator TwoSteps() => new("steps")
    {
        JobFlowId = "j-{{ ds_nodash }}",
        Steps =
        {
            new EmrSparkStep
            {
                Application = "s3://{{ params.bucket }}/jobs/aggregate.py",
                Args = { "--day", "{{ ds }}" },
                Conf = { ["spark.app.day"] = "{{ ds_nodash }}" },
            },
            new EmrSparkStep
            {
                Name = "report-{{ ds }}",
                Application = "s3://{{ params.bucket }}/jobs/report.jar",
                ClassName = "com.example.Report",
                Args = { "{{ ds }}", "static" },
            },
        },
    };

    [Fact]
    public void ReadPart_SparkStep_ItsTemplatedFieldsOnly()
    {
        var names = TemplatedFields.ReadPart(new EmrSparkStep()).Select(f => f.Name).ToList();

        Assert.Contains(nameof(EmrSparkStep.Application), names);
        Assert.Contains(nameof(EmrSparkStep.Args), names);
        Assert.Contains(nameof(EmrSparkStep.Conf), names);
        Assert.Contains(nameof(EmrStepDefinition.Name), names);
        Assert.Contains(nameof(EmrStepDefinition.ActionOnFailure), names);
        // Not [Templated]: numbers are not templates.
        Assert.DoesNotContain(nameof(EmrSparkStep.DriverCores), names);
        Assert.DoesNotContain(nameof(EmrSparkStep.NumExecutors), names);
    }

    [Fact]
    public void Strings_ListOfParts_NamedByIndexAndField()
    {
        var task = TwoSteps();

        var strings = TemplatedFields.Strings(nameof(EmrAddStepsOperator.Steps), task.Steps).ToList();

        Assert.Contains(("Steps[0].Application", "s3://{{ params.bucket }}/jobs/aggregate.py"), strings);
        Assert.Contains(("Steps[0].Args[1]", "{{ ds }}"), strings);
        Assert.Contains(("Steps[0].Conf[spark.app.day]", "{{ ds_nodash }}"), strings);
        Assert.Contains(("Steps[1].Name", "report-{{ ds }}"), strings);
        Assert.Contains(("Steps[1].Args[0]", "{{ ds }}"), strings);
        Assert.Contains(("Steps[1].ClassName", "com.example.Report"), strings);
        Assert.DoesNotContain(strings, s => s.Where == "Steps[0].Name");
    }

    [Fact]
    public void Strings_ListOfStrings_StillNamedByIndex() =>
        Assert.Equal([("Args[0]", "a"), ("Args[1]", "{{ ds }}")], TemplatedFields.Strings("Args", new List<string> { "a", "{{ ds }}" }));

    [Fact]
    public void Render_TwoSparkSteps_EachStepRenderedFieldByField()
    {
        var rendered = Templates.Render(TwoSteps(), Context(), Token);

        Assert.Equal("j-20261120", rendered.Text(nameof(EmrAddStepsOperator.JobFlowId)));
        var steps = rendered.Parts(nameof(EmrAddStepsOperator.Steps));
        Assert.Equal(2, steps.Count);
        Assert.Equal("s3://data-lake/jobs/aggregate.py", steps[0].Text(nameof(EmrSparkStep.Application)));
        Assert.Equal(["--day", "2026-11-20"], steps[0].List(nameof(EmrSparkStep.Args)));
        Assert.Equal("20261120", steps[0].Map(nameof(EmrSparkStep.Conf))["spark.app.day"]);
        Assert.Null(steps[0].Text(nameof(EmrStepDefinition.Name)));
        Assert.Equal("CONTINUE", steps[0].Text(nameof(EmrStepDefinition.ActionOnFailure)));
        Assert.Equal("s3://data-lake/jobs/report.jar", steps[1].Text(nameof(EmrSparkStep.Application)));
        Assert.Equal("report-2026-11-20", steps[1].Text(nameof(EmrStepDefinition.Name)));
        Assert.Equal(["2026-11-20", "static"], steps[1].List(nameof(EmrSparkStep.Args)));
        Assert.Empty(steps[1].Statements);
    }

    [Fact]
    public void Render_CommandStep_RendersItsOwnFields()
    {
        var task = new EmrAddStepsOperator("steps")
        {
            JobFlowId = "j-1",
            Steps = { new EmrCommandStep { Args = { "s3-dist-cp", "--src=s3://{{ params.bucket }}/{{ ds }}/" } } },
        };

        var step = Templates.Render(task, Context(), Token).Parts(nameof(EmrAddStepsOperator.Steps)).Single();

        Assert.Equal("command-runner.jar", step.Text(nameof(EmrCommandStep.Jar)));
        Assert.Equal(["s3-dist-cp", "--src=s3://data-lake/2026-11-20/"], step.List(nameof(EmrCommandStep.Args)));
    }

    [Fact]
    public void Parts_FieldThatIsNotAPartsList_IsAnError()
    {
        var rendered = Templates.Render(TwoSteps(), Context(), Token);

        Assert.Throws<KeyNotFoundException>(() => rendered.Parts("Nope"));
        Assert.ThrowsAny<InvalidCastException>(() => rendered.Parts(nameof(EmrAddStepsOperator.JobFlowId)));
    }

    [Fact]
    public void Render_OnRendered_ShowsEachStepAsItsFields()
    {
        string? shown = null;

        Templates.Render(TwoSteps(), Context(json => shown = json), Token);

        Assert.NotNull(shown);
        using var document = JsonDocument.Parse(shown);
        var steps = document.RootElement.GetProperty("fields").GetProperty("Steps");
        Assert.Equal(2, steps.GetArrayLength());
        Assert.Equal("s3://data-lake/jobs/report.jar", steps[1].GetProperty("Application").GetString());
        Assert.Equal("2026-11-20", steps[0].GetProperty("Args")[1].GetString());
    }

    [Fact]
    public void Render_TemplateErrorInsideAStep_NamesTheStepAndField()
    {
        var task = TwoSteps();
        ((EmrSparkStep)task.Steps[1]).Application = "s3://{{ params.missing }}/x.jar";

        var error = Assert.Throws<TaskFailedException>(() => Templates.Render(task, Context(), Token));

        Assert.Contains("Task 'steps'", error.Message, StringComparison.Ordinal);
        Assert.Contains("steps.Steps[1].Application", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TemplateErrorInAStepsArg_NamesTheArg()
    {
        var task = TwoSteps();
        ((EmrSparkStep)task.Steps[0]).Args.Add("{{ outputs.nothing_upstream.app_id }}");

        var error = Assert.Throws<TaskFailedException>(() => Templates.Render(task, Context(), Token));

        Assert.Contains("steps.Steps[0].Args[2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SyntaxErrorInAStepField_ReportedAtLoadWithItsName()
    {
        var task = TwoSteps();
        ((EmrSparkStep)task.Steps[1]).Args.Add("{{ if true }");
        ((EmrSparkStep)task.Steps[0]).Conf["spark.x"] = "{{ dss }}";

        var problems = Templates.Check(task);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Message.Contains("steps.Steps[1].Args[2]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("steps.Steps[0].Conf[spark.x]", StringComparison.Ordinal) && p.Message.Contains("dss", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_CorrectSteps_NoProblems() =>
        Assert.Empty(Templates.Check(TwoSteps()));

    [Fact]
    public void Check_MissingClusterTemplate_ReportedAtLoad()
    {
        var task = new EmrCreateJobFlowOperator("create") { ReleaseLabel = "emr-7.5.0", ClusterTemplate = "emr/missing.json" };

        var problem = Assert.Single(Templates.Check(task));

        Assert.Contains("emr/missing.json", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ClusterTemplateWithASyntaxError_ReportedAtLoad()
    {
        _templates.Write("emr/broken.json", """{"Name": {{ ds | lit "json" }, "ReleaseLabel": "emr-7.5.0"}""");
        var task = new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/broken.json" };

        var problem = Assert.Single(Templates.Check(task));

        Assert.Contains("emr/broken.json", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ExistingClusterTemplate_NoProblems()
    {
        _templates.Write("emr/cluster.json", """{"Name": {{ ds | lit "json" }}, "ReleaseLabel": "emr-7.5.0"}""");

        Assert.Empty(Templates.Check(new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/cluster.json" }));
    }

    [Fact]
    public void RenderFile_ClusterTemplate_RenderedWithJsonLiterals()
    {
        _templates.Write("emr/cluster.json", """{"Name": {{ params.bucket | lit }}, "Day": {{ ds | lit }}}""");
        var task = new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/cluster.json" };

        var text = Templates.RenderFile(task, "emr/cluster.json", Context(), Templating.Literals.LiteralLanguage.Json, Token);

        using var document = JsonDocument.Parse(text);
        Assert.Equal("data-lake", document.RootElement.GetProperty("Name").GetString());
        Assert.Equal("2026-11-20", document.RootElement.GetProperty("Day").GetString());
    }

    [Fact]
    public void RenderFile_TemplateError_NamesTheTaskAndFile()
    {
        _templates.Write("emr/cluster.json", """{"Name": {{ params.nope | lit }}}""");
        var task = new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/cluster.json" };

        var error = Assert.Throws<TaskFailedException>(() => Templates.RenderFile(task, "emr/cluster.json", Context(), Templating.Literals.LiteralLanguage.Json, Token));

        Assert.Contains("Task 'create'", error.Message, StringComparison.Ordinal);
        Assert.Contains("emr/cluster.json", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _templates.Dispose();

    private sealed class TemplatesOnly(TaskTemplates templates) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(TaskTemplates) ? templates : null;
    }
}
