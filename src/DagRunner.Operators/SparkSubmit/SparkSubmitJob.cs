using System.Collections.Immutable;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators.SparkSubmit;

/// <summary>The command a spark-submit task runs, built from its rendered fields and its host's settings:
/// the same for a run and a preview, so a preview is what runs.</summary>
internal static class SparkSubmitJob
{
    public static SparkSubmitCommand Command(SparkSubmitJobOperator task, RenderedTask fields, TaskContext context, SparkSubmitSettings settings)
    {
        var application = fields.Text(nameof(SparkSubmitJobOperator.Application));
        if (string.IsNullOrWhiteSpace(application))
            throw new TaskFailedException($"Task '{task.TaskId}': {task.GetType().Name}.Application is empty: set the jar or .py file spark-submit runs.");
        var deployMode = NullIfEmpty(fields.Text(nameof(SparkSubmitJobOperator.DeployMode))) ?? settings.DeployMode;
        if (!SparkSubmitSettings.IsDeployMode(deployMode))
            throw new TaskFailedException($"Task '{task.TaskId}': DeployMode '{deployMode}' is neither client nor cluster.");
        var options = Options(fields, task.DriverCores, task.ExecutorCores, task.NumExecutors) with
        {
            Program = settings.Program,
            Master = NullIfEmpty(fields.Text(nameof(SparkSubmitJobOperator.Master))) ?? settings.Master,
            DeployMode = deployMode,
            Name = BatchNaming.Name(context, NullIfEmpty(fields.Text(nameof(SparkSubmitJobOperator.Name)))),
            Application = application,
        };
        var environment = settings.Environment.SetItems(fields.Map(nameof(SparkSubmitJobOperator.Env)));
        return SparkSubmitCommand.Build(options, BatchNaming.Tag(context)) with { Environment = environment };
    }

    /// <summary>The options a task's (or an EMR step's) rendered fields give under spark-submit's names (<c>ClassName</c>,
    /// <c>Queue</c>, <c>ProxyUser</c>, <c>Jars</c>, <c>PyFiles</c>, <c>Files</c>, <c>Archives</c>, <c>Packages</c>,
    /// <c>DriverMemory</c>, <c>ExecutorMemory</c>, <c>Conf</c>, <c>Args</c>) and the counts, which are not templates;
    /// the caller sets the program, master, deploy mode, name and application.</summary>
    public static SparkSubmitOptions Options(RenderedTask fields, int? driverCores, int? executorCores, int? numExecutors)
    {
        ArgumentNullException.ThrowIfNull(fields);
        string? Text(string name) => fields.Text(name) is { Length: > 0 } text ? text : null;
        return new SparkSubmitOptions
        {
            ClassName = Text("ClassName"),
            Queue = Text("Queue"),
            ProxyUser = Text("ProxyUser"),
            Jars = fields.List("Jars"),
            PyFiles = fields.List("PyFiles"),
            Files = fields.List("Files"),
            Archives = fields.List("Archives"),
            Packages = fields.List("Packages"),
            DriverMemory = Text("DriverMemory"),
            DriverCores = driverCores,
            ExecutorMemory = Text("ExecutorMemory"),
            ExecutorCores = executorCores,
            NumExecutors = numExecutors,
            Conf = fields.Map("Conf"),
            Args = fields.List("Args"),
        };
    }

    /// <summary>Registers the values of secret-named conf and environment entries with the process's masker,
    /// so that spark-submit echoing them (<c>--verbose</c> prints every property) shows <c>***</c>.</summary>
    public static void RegisterSecrets(SparkSubmitCommand command, SecretMasker secrets)
    {
        foreach (var (name, value) in command.Environment.Where(p => SecretMasker.IsSecretName(p.Key)))
            secrets.Add(value);
        foreach (var (flag, value) in command.Options)
        {
            if (flag == "--conf" && SecretConf.ValueOf(value) is { } secret)
                secrets.Add(secret);
        }
    }

    /// <summary>The command for the task log and previews: one option per line, secrets masked (parameter
    /// values whose names say they are secret too).</summary>
    public static string Describe(SparkSubmitCommand command, TaskContext context) =>
        SecretMask.From(context.Params, context.Conf).Apply(command.Describe(context.Secrets));

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
