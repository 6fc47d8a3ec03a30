using System.Text.Json;
using System.Text.Json.Nodes;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating.Literals;

namespace DagRunner.Operators.Emr;

/// <summary>The <c>RunJobFlow</c> request of an <see cref="EmrCreateJobFlowOperator"/> attempt: its rendered template,
/// the typed fields over it, and EMR's usual defaults where neither says. The same for a run and a preview. The values
/// of secret-named members (a <c>KdcAdminPassword</c>, a <c>fs.s3a.secret.key</c> property) are registered with the
/// attempt's masker, so the log and previews show <c>***</c>.</summary>
internal static class EmrClusterRequest
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // What a cluster of typed fields alone gets when neither the task nor the template says: one primary and two core nodes.
    private const int DefaultInstanceCount = 3;

    public static JsonObject Build(EmrCreateJobFlowOperator task, RenderedTask fields, TaskContext context, CancellationToken cancellationToken)
    {
        var where = task.ClusterTemplate is { Length: > 0 } file ? $"Task '{task.TaskId}': the cluster template {file}" : $"Task '{task.TaskId}'";
        var request = Template(task, context, where, cancellationToken);
        string? Text(string name) => fields.Text(name) is { Length: > 0 } text ? text : null;

        var name = Text(nameof(EmrCreateJobFlowOperator.Name)) ?? StringMember(request, "Name", where);
        request["Name"] = name is { Length: > 0 } ? BatchNaming.AttemptName(context, name) : BatchNaming.DefaultAttemptName(context);
        Set(request, "ReleaseLabel", Text(nameof(EmrCreateJobFlowOperator.ReleaseLabel)));
        if (StringMember(request, "ReleaseLabel", where) is null)
            throw new TaskFailedException($"Task '{task.TaskId}': no ReleaseLabel: set {nameof(EmrCreateJobFlowOperator.ReleaseLabel)} (for example emr-7.5.0) or \"ReleaseLabel\" in the cluster template.");
        Set(request, "LogUri", Text(nameof(EmrCreateJobFlowOperator.LogUri)));
        if (task.StepConcurrencyLevel is { } level)
            request["StepConcurrencyLevel"] = level is >= 1 and <= 256 ? level : throw new TaskFailedException($"Task '{task.TaskId}': StepConcurrencyLevel {level} is not between 1 and 256.");
        Set(request, "ServiceRole", Text(nameof(EmrCreateJobFlowOperator.ServiceRole)));
        request["ServiceRole"] ??= "EMR_DefaultRole";
        Set(request, "JobFlowRole", Text(nameof(EmrCreateJobFlowOperator.JobFlowRole)));
        request["JobFlowRole"] ??= "EMR_EC2_DefaultRole";
        Instances(task, Member<JsonObject>(request, "Instances", "an object", where) ?? (JsonObject)(request["Instances"] = new JsonObject()), Text(nameof(EmrCreateJobFlowOperator.InstanceType)), where);

        var applications = fields.List(nameof(EmrCreateJobFlowOperator.Applications));
        if (applications.Count > 0 || Member<JsonArray>(request, "Applications", "an array", where) is null)
            request["Applications"] = new JsonArray([.. (applications.Count > 0 ? applications : ["Spark"]).Select(a => (JsonNode)new JsonObject { ["Name"] = a })]);
        Tags(request, fields, context, where);
        RegisterSecrets(request, context.Secrets);
        return request;
    }

    // The machines: the typed instance type and count go over the template's uniform settings; they cannot be mixed
    // with instance groups or fleets, and a cluster with no machines named anywhere is refused before EMR refuses it.
    private static void Instances(EmrCreateJobFlowOperator task, JsonObject instances, string? type, string where)
    {
        var grouped = instances["InstanceGroups"] is not null || instances["InstanceFleets"] is not null;
        if (instances["InstanceGroups"] is not null && instances["InstanceFleets"] is not null)
            throw new TaskFailedException($"{where}: Instances has both InstanceGroups and InstanceFleets: EMR takes one.");
        if (grouped && (instances["MasterInstanceType"] ?? instances["SlaveInstanceType"] ?? instances["InstanceCount"]) is not null)
            throw new TaskFailedException($"{where}: Instances has MasterInstanceType, SlaveInstanceType or InstanceCount beside InstanceGroups or InstanceFleets: EMR takes one way of naming the machines.");
        if (grouped && (type is not null || task.InstanceCount is not null))
            throw new TaskFailedException($"{where}: InstanceType and InstanceCount cannot be set beside the template's Instances.InstanceGroups or InstanceFleets: set the machines in one place.");
        if (type is not null)
        {
            instances["MasterInstanceType"] = type;
            instances["SlaveInstanceType"] = type;
        }

        if (task.InstanceCount is { } count)
            instances["InstanceCount"] = count is >= 1 ? count : throw new TaskFailedException($"{where}: InstanceCount {count} is not a number of machines.");
        if (!grouped && instances["MasterInstanceType"] is null)
            throw new TaskFailedException($"{where}: no machines: set {nameof(EmrCreateJobFlowOperator.InstanceType)} (for example m5.xlarge), or Instances in the cluster template.");
        if (!grouped)
            instances["InstanceCount"] ??= DefaultInstanceCount;
        if (instances["InstanceCount"] is { } given && (given is not JsonValue number || !number.TryGetValue<int>(out _)))
            throw new TaskFailedException($"{where}: \"Instances.InstanceCount\" must be a whole number.");
        if (task.KeepAlive is { } keep)
            instances["KeepJobFlowAliveWhenNoSteps"] = keep;
        instances["KeepJobFlowAliveWhenNoSteps"] ??= true;
    }

    // The template's tags, then the task's over them by key, then DagRunner's over both: each key sent once.
    private static void Tags(JsonObject request, RenderedTask fields, TaskContext context, string where)
    {
        var tags = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var tag in Member<JsonArray>(request, "Tags", "an array", where) ?? [])
        {
            if (tag is not JsonObject entry || StringMember(entry, "Key", where + " Tags[]") is not { } key)
                throw new TaskFailedException($"{where}: every item of \"Tags\" must be an object with a string \"Key\" (and a \"Value\").");
            Put(key, StringMember(entry, "Value", $"{where} Tags[{key}]") ?? "");
        }

        void Put(string key, string value)
        {
            tags.RemoveAll(t => t.Key == key);
            tags.Add(new(key, JsonValue.Create(value)));
        }

        foreach (var (key, value) in fields.Map(nameof(EmrCreateJobFlowOperator.Tags)))
            Put(key, value);
        Put("dagrunner:dag", context.DagId);
        Put("dagrunner:task", context.TaskId);
        Put("dagrunner:run", context.RunId);
        request["Tags"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]);
    }

    // Every text under a member whose name says it is secret, however deep, and the Value of a {"Key": ..., "Value": ...}
    // pair (tags) whose key says so. Settings about secrets rather than secrets (dfs.block.access.token.enable,
    // fs.s3a.aws.credentials.provider, a token's renew interval) and values that are no text (false, 86400000) are not
    // registered: the masker is the process's, and would hide "false" in every log after.
    private static void RegisterSecrets(JsonNode? node, SecretMasker secrets, bool secret = false)
    {
        switch (node)
        {
            case JsonObject members:
                var pairSecret = members["Key"] is JsonValue key && key.TryGetValue<string>(out var keyName) && IsSecret(keyName);
                foreach (var (member, value) in members)
                    RegisterSecrets(value, secrets, secret || IsSecret(member) || (pairSecret && member == "Value"));
                break;
            case JsonArray items:
                foreach (var item in items)
                    RegisterSecrets(item, secrets, secret);
                break;
            case JsonValue value when secret && value.TryGetValue<string>(out var text) && !bool.TryParse(text, out _) && !double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _):
                secrets.Add(text);
                break;
        }
    }

    private static readonly string[] SettingWords = ["enable", "enabled", "provider", "providers", "path", "interval", "validity", "class", "type", "kind", "lifetime", "file", "uri", "url"];

    private static bool IsSecret(string name) =>
        SecretMasker.IsSecretName(name) && !SettingWords.Contains(name[(name.LastIndexOfAny(['.', '-', '_']) + 1)..], StringComparer.OrdinalIgnoreCase);

    // The template rendered (lit writing JSON) and read as a JSON object; an error names the file, line and column.
    private static JsonObject Template(EmrCreateJobFlowOperator task, TaskContext context, string where, CancellationToken cancellationToken)
    {
        if (task.ClusterTemplate is not { Length: > 0 } file)
            return new JsonObject();
        var text = TaskTemplates.For(context).RenderFile(task, file, context, LiteralLanguage.Json, cancellationToken);
        try
        {
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false };
            return JsonNode.Parse(text, documentOptions: options) as JsonObject
                ?? throw new TaskFailedException($"{where} is not a JSON object once rendered.");
        }
        catch (JsonException e)
        {
            throw new TaskFailedException($"{where}, once rendered, is not valid JSON: {e.Message} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of the rendered text).", e);
        }
    }

    private static string? StringMember(JsonObject owner, string member, string where) => owner[member] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw new TaskFailedException($"{where}: \"{member}\" must be a string."),
    };

    private static T? Member<T>(JsonObject owner, string member, string kind, string where)
        where T : JsonNode => owner[member] switch
        {
            null => null,
            T node => node,
            _ => throw new TaskFailedException($"{where}: \"{member}\" must be {kind}."),
        };

    private static void Set(JsonObject request, string member, string? value)
    {
        if (value is not null)
            request[member] = value;
    }
}
