using System.Text.Json.Serialization;

namespace DagRunner.Clients.Emr;

/// <summary>Which clusters to list (<c>ListClusters</c>), newest first; <see cref="Marker"/> asks for the page after
/// the one that returned it.</summary>
public sealed record EmrListClustersRequest
{
    /// <summary>Only clusters in these states (<c>STARTING</c>, <c>WAITING</c>, ...); all when null.</summary>
    public IReadOnlyList<string>? ClusterStates { get; init; }

    /// <summary>Only clusters created at or after this time.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? CreatedAfter { get; init; }

    public string? Marker { get; init; }
}

/// <summary>One page of <c>ListClusters</c> (each cluster's id, name and status); <see cref="Marker"/> is null on the last page.</summary>
public sealed record EmrClusterPage
{
    public IReadOnlyList<EmrCluster> Clusters { get; init; } = [];
    public string? Marker { get; init; }
}
