using System.Text.Json;
using DagRunner.Clients.Connections;
using DagRunner.Engine.Definitions;
using DagRunner.Hosting.Connections;
using DagRunner.Operators;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Runs;

/// <summary>
/// Links to the Livy, YARN and Spark UIs of a task's remote job, built from the connections the task
/// names (its operator's <c>LivyConnectionId</c>, <c>YarnConnectionId</c>, <c>SparkConnectionId</c>, as its
/// definition's fields hold them, so a definition read from a snapshot serves too; the defaults when the
/// DAG no longer has the task), or better, the ids the attempt was rendered with
/// (<paramref name="rendered"/>: a templated id is known only there). Only a connection's scheme, host,
/// port and path are used: a password, token or secret extra never reaches a link.
/// </summary>
internal sealed class ClusterLinks(ConnectionSource connections, TaskDefinition? task, IReadOnlyList<RenderedFieldView> rendered)
{
    private string LivyId => Id(nameof(LivyJobOperator.LivyConnectionId), "livy_default");

    private string YarnId => Id(nameof(LivyBatchOperator.YarnConnectionId), "yarn_default");

    private string SparkId => Id(nameof(LivyBatchOperator.SparkConnectionId), "spark_default");

    /// <summary>Livy's UI page of a batch (its log) or a session.</summary>
    public RemoteLink? Livy(string what, string id) =>
        Base(LivyId) is { } livy && long.TryParse(id, out _)
            ? new RemoteLink("Livy", $"Livy {what} {id}", $"{livy}ui/{what}/{id}" + (what == "batch" ? "/log" : ""))
            : null;

    /// <summary>The ResourceManager's page of the app.</summary>
    public RemoteLink? Yarn(string? appId) =>
        appId is { Length: > 0 } && Base(YarnId) is { } yarn
            ? new RemoteLink("YARN", $"YARN app {appId}", $"{yarn}cluster/app/{Uri.EscapeDataString(appId)}")
            : null;

    /// <summary>The Spark UI Livy reported for the app (YARN's proxy while it runs), else the app in the
    /// History Server of the Spark connection.</summary>
    public RemoteLink? Spark(string? sparkUiUrl, string? appId)
    {
        if (Clean(sparkUiUrl) is { } reported)
            return new RemoteLink("Spark", "Spark UI", reported);
        return appId is { Length: > 0 } && Base(SparkId) is { } spark
            ? new RemoteLink("Spark", $"Spark history of {appId}", $"{spark}history/{Uri.EscapeDataString(appId)}/jobs/")
            : null;
    }

    // The rendered id, else the task's (a template is not rendered here: the default stands in for it).
    private string Id(string field, string fallback)
    {
        var id = rendered.FirstOrDefault(f => f.Name == field)?.Value is { Length: > 0 } used ? used : Declared(field);
        return string.IsNullOrWhiteSpace(id) || id.Contains("{{", StringComparison.Ordinal) ? fallback : id;
    }

    // Definitions name fields as the JSON API does (camelCase); an operator without the field has none.
    private string? Declared(string field) =>
        task?.Fields.TryGetValue(JsonNamingPolicy.CamelCase.ConvertName(field), out var value) == true && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private string? Base(string id)
    {
        try
        {
            return connections.Find(id)?.BaseUri.ToString();
        }
        catch (ConnectionException)
        {
            return null; // a malformed connection gives no link; the run's log says what is wrong with it
        }
    }

    // An address from Livy: http(s) only, and without any user info it might carry.
    private static string? Clean(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return null;
        return new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString();
    }
}
