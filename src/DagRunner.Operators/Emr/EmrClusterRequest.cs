using System.Text.Json;
using System.Text.Json.Nodes;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating.Literals;

namespace DagRunner.Operators.Emr;

/// <summary>The <c>RunJobFlow</c> request of an <see cref="EmrCreateJobFlowOperator"/> attempt: its rendered template,
/// the typed fields over it, and EMR's usual defaults where neither says. The same for a run and a preview.</summary>
internal static class EmrClusterRequest
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject Build(EmrCreateJobFlowOperator task, RenderedTask fields, TaskContext context, CancellationToken cancellationToken)
    {
        var request = Template(task, context, cancellationToken);
        string? Text(string name) => fields.Text(name) is { Length: > 0 } text ? text : null;

        var name = Text(nameof(EmrCreateJobFlowOperator.Name)) ?? (request["Name"] as JsonValue)?.GetValue<string>();
        request["Name"] = name is { Length: > 0 } ? BatchNaming.AttemptName(context, name) : BatchNaming.Name(context);
        Set(request, "ReleaseLabel", Text(nameof(EmrCreateJobFlowOperator.ReleaseLabel)));
        if (request["ReleaseLabel"] is null)
            throw new TaskFailedException($"Task '{task.TaskId}': no ReleaseLabel: set {nameof(EmrCreateJobFlowOperator.ReleaseLabel)} (for example emr-7.5.0) or \"ReleaseLabel\" in the cluster template.");
        Set(request, "LogUri", Text(nameof(EmrCreateJobFlowOperator.LogUri)));
        if (task.StepConcurrencyLevel is { } level)
            request["StepConcurrencyLevel"] = level is >= 1 and <= 256 ? level : throw new TaskFailedException($"Task '{task.TaskId}': StepConcurrencyLevel {level} is not between 1 and 256.");
        Set(request, "ServiceRole", Text(nameof(EmrCreateJobFlowOperator.ServiceRole)));
        request["ServiceRole"] ??= "EMR_DefaultRole";
        Set(request, "JobFlowRole", Text(nameof(EmrCreateJobFlowOperator.JobFlowRole)));
        request["JobFlowRole"] ??= "EMR_EC2_DefaultRole";

        var instances = request["Instances"] as JsonObject ?? new JsonObject();
        request["Instances"] = instances;
        if (Text(nameof(EmrCreateJobFlowOperator.InstanceType)) is { } type)
        {
            instances["MasterInstanceType"] = type;
            instances["SlaveInstanceType"] = type;
        }

        if (task.InstanceCount is { } count)
            instances["InstanceCount"] = count;
        if (task.KeepAlive is { } keep)
            instances["KeepJobFlowAliveWhenNoSteps"] = keep;
        instances["KeepJobFlowAliveWhenNoSteps"] ??= true;

        var applications = fields.List(nameof(EmrCreateJobFlowOperator.Applications));
        if (applications.Count > 0 || request["Applications"] is null)
            request["Applications"] = new JsonArray([.. (applications.Count > 0 ? applications : ["Spark"]).Select(a => (JsonNode)new JsonObject { ["Name"] = a })]);

        var tags = request["Tags"] as JsonArray ?? new JsonArray();
        request["Tags"] = tags;
        var added = new Dictionary<string, string>(fields.Map(nameof(EmrCreateJobFlowOperator.Tags)), StringComparer.Ordinal)
        {
            ["dagrunner:dag"] = context.DagId,
            ["dagrunner:task"] = context.TaskId,
            ["dagrunner:run"] = context.RunId,
        };
        foreach (var (key, value) in added)
            tags.Add(new JsonObject { ["Key"] = key, ["Value"] = value });
        return request;
    }

    // The template rendered (lit writing JSON) and read as a JSON object; an error names the file, line and column.
    private static JsonObject Template(EmrCreateJobFlowOperator task, TaskContext context, CancellationToken cancellationToken)
    {
        if (task.ClusterTemplate is not { Length: > 0 } file)
            return new JsonObject();
        var text = TaskTemplates.For(context).RenderFile(task, file, context, LiteralLanguage.Json, cancellationToken);
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new TaskFailedException($"Task '{task.TaskId}': the cluster template {file} is not a JSON object once rendered.");
        }
        catch (JsonException e)
        {
            throw new TaskFailedException($"Task '{task.TaskId}': the cluster template {file}, once rendered, is not valid JSON: {e.Message} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of the rendered text).", e);
        }
    }

    private static void Set(JsonObject request, string member, string? value)
    {
        if (value is not null)
            request[member] = value;
    }
}
