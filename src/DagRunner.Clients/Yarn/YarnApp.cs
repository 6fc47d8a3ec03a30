using System.Text.Json.Serialization;

namespace DagRunner.Clients.Yarn;

/// <summary>An application as the ResourceManager reports it.</summary>
public sealed record YarnApp
{
    [JsonRequired] public string Id { get; init; } = "";
    public string? Name { get; init; }
    [JsonRequired] public string State { get; init; } = "";
    [JsonRequired] public string FinalStatus { get; init; } = "";
    public string? Diagnostics { get; init; }
    public string? TrackingUrl { get; init; }
    public string? AmContainerLogs { get; init; }
    public string? ApplicationTags { get; init; }

    /// <summary>Terminal: <c>FINISHED</c>, <c>FAILED</c> or <c>KILLED</c>.</summary>
    public bool IsTerminal => State is "FINISHED" or "FAILED" or "KILLED";

    /// <summary>Success is <c>FINISHED</c> with <c>SUCCEEDED</c>, and nothing else.</summary>
    public bool Succeeded => State == "FINISHED" && FinalStatus == "SUCCEEDED";
}
