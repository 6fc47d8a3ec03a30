using System.Text.Json.Serialization;

namespace DagRunner.Clients.Emr;

/// <summary>When a step or cluster was created, started or became ready, and ended.</summary>
public sealed record EmrTimeline
{
    [JsonConverter(typeof(EpochSecondsConverter))] public DateTimeOffset? CreationDateTime { get; init; }
    [JsonConverter(typeof(EpochSecondsConverter))] public DateTimeOffset? StartDateTime { get; init; }
    [JsonConverter(typeof(EpochSecondsConverter))] public DateTimeOffset? ReadyDateTime { get; init; }
    [JsonConverter(typeof(EpochSecondsConverter))] public DateTimeOffset? EndDateTime { get; init; }
}
