using System.Text.Json;
using System.Text.Json.Nodes;
using DagRunner.Clients.Emr;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.SparkSubmit;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators.Emr;

/// <summary>A step as it is added: its EMR name (unique per attempt, so it is found by name after a lost
/// answer), the YARN tag its Spark app carries (null for a command step), what EMR is sent, and how the
/// task log shows it (secrets masked).</summary>
internal sealed record PlannedStep(int Number, string Name, string? Tag, EmrStepConfig Config, string Shown);

/// <summary>The steps of an <see cref="EmrAddStepsOperator"/> attempt, built from its rendered fields: the same
/// for a run and a preview, so a preview is what is added.</summary>
internal static class EmrStepPlan
{
    private static readonly string[] Actions = ["CONTINUE", "CANCEL_AND_WAIT", "TERMINATE_CLUSTER", "TERMINATE_JOB_FLOW"];

    public static IReadOnlyList<PlannedStep> Build(EmrAddStepsOperator task, RenderedTask fields, TaskContext context)
    {
        var parts = fields.Parts(nameof(EmrAddStepsOperator.Steps));
        if (parts.Count == 0)
            throw new TaskFailedException($"Task '{task.TaskId}': {nameof(EmrAddStepsOperator)}.{nameof(EmrAddStepsOperator.Steps)} is empty: add an EmrSparkStep or an EmrCommandStep.");
        var steps = new List<PlannedStep>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var number = i + 1;
            var part = parts[i];
            var where = $"Task '{task.TaskId}': Steps[{i}]";
            var userName = NullIfEmpty(part.Text(nameof(EmrStepDefinition.Name)));
            var name = userName is null
                ? BatchNaming.DefaultAttemptName(context) + (parts.Count > 1 ? $"-{number}" : "")
                : BatchNaming.AttemptName(context, userName);
            if (steps.Any(s => s.Name == name))
                throw new TaskFailedException($"{where}: the name '{userName}' is used by another step of this task; each step needs its own (it is how the step is found again).");
            var action = part.Text(nameof(EmrStepDefinition.ActionOnFailure)) is { Length: > 0 } given ? given.ToUpperInvariant() : "CONTINUE";
            if (!Actions.Contains(action))
                throw new TaskFailedException($"{where}: ActionOnFailure '{action}' is none of {string.Join(", ", Actions)}.");
            steps.Add(task.Steps[i] switch
            {
                EmrSparkStep spark => Spark(spark, part, context, number, name, action, where),
                _ => Command(part, context, number, name, action, where),
            });
        }

        return steps;
    }

    /// <summary>The <c>AddJobFlowSteps</c> request as EMR is sent it, secrets masked: what a preview shows.</summary>
    public static string RequestJson(string clusterId, IReadOnlyList<PlannedStep> steps, TaskContext context)
    {
        var body = new JsonObject
        {
            ["JobFlowId"] = clusterId,
            ["Steps"] = new JsonArray([.. steps.Select(s => (JsonNode)new JsonObject
            {
                ["Name"] = s.Config.Name,
                ["ActionOnFailure"] = s.Config.ActionOnFailure,
                ["HadoopJarStep"] = Jar(s.Config.HadoopJarStep, context),
            })]),
        };
        return SecretMask.From(context.Params, context.Conf).Apply(body.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static JsonObject Jar(EmrHadoopJarStep jar, TaskContext context)
    {
        var shown = new JsonObject { ["Jar"] = jar.Jar };
        if (jar.MainClass is { } mainClass)
            shown["MainClass"] = mainClass;
        shown["Args"] = new JsonArray([.. MaskedArgs(jar.Args ?? [], context).Select(a => (JsonNode)JsonValue.Create(a))]);
        return shown;
    }

    // A --conf entry whose name says it is secret shows its name only; every value through the process's masker.
    private static IEnumerable<string> MaskedArgs(IReadOnlyList<string> args, TaskContext context)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            yield return (i > 0 && args[i - 1] == "--conf" ? SecretConf.Masked(arg) : null) ?? context.Secrets.Mask(arg)!;
        }
    }

    private static PlannedStep Spark(EmrSparkStep step, RenderedTask part, TaskContext context, int number, string name, string action, string where)
    {
        var application = part.Text(nameof(EmrSparkStep.Application));
        if (string.IsNullOrWhiteSpace(application))
            throw new TaskFailedException($"{where}: EmrSparkStep.Application is empty: set the jar or .py file spark-submit runs (an s3:// URI or a path on the master node).");
        var deployMode = NullIfEmpty(part.Text(nameof(EmrSparkStep.DeployMode))) ?? "cluster";
        if (!SparkSubmitSettings.IsDeployMode(deployMode))
            throw new TaskFailedException($"{where}: DeployMode '{deployMode}' is neither client nor cluster.");
        var tag = $"{BatchNaming.Tag(context)}-{number}";
        var command = SparkSubmitCommand.Build(SparkSubmitJob.Options(part, step.DriverCores, step.ExecutorCores, step.NumExecutors) with
        {
            Program = "spark-submit",
            DeployMode = deployMode,
            Name = name,
            Application = application,
        }, tag);
        SparkSubmitJob.RegisterSecrets(command, context.Secrets);
        var config = new EmrStepConfig
        {
            Name = name,
            ActionOnFailure = action,
            HadoopJarStep = new EmrHadoopJarStep { Jar = "command-runner.jar", Args = ["spark-submit", .. command.Arguments] },
        };
        return new PlannedStep(number, name, tag, config, "command-runner.jar " + SparkSubmitJob.Describe(command, context));
    }

    private static PlannedStep Command(RenderedTask part, TaskContext context, int number, string name, string action, string where)
    {
        var jar = part.Text(nameof(EmrCommandStep.Jar));
        if (string.IsNullOrWhiteSpace(jar))
            throw new TaskFailedException($"{where}: EmrCommandStep.Jar is empty: set the jar EMR runs (command-runner.jar for a command).");
        var args = part.List(nameof(EmrCommandStep.Args));
        // As for a Spark step: a secret-named --conf value is known to the masker, wherever it might show.
        context.Secrets.AddRange(SecretConf.ValuesIn(args));

        var config = new EmrStepConfig
        {
            Name = name,
            ActionOnFailure = action,
            HadoopJarStep = new EmrHadoopJarStep { Jar = jar, MainClass = NullIfEmpty(part.Text(nameof(EmrCommandStep.MainClass))), Args = [.. args] },
        };
        var shown = string.Join(" \\\n    ", [jar, .. MaskedArgs(args, context)]);
        return new PlannedStep(number, name, null, config, SecretMask.From(context.Params, context.Conf).Apply(shown));
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
