using DagRunner.Clients.Emr;

namespace DagRunner.Operators.Emr;

/// <summary>What the cluster operators and sensor say of a cluster: its output and why it is in its state.</summary>
internal static class EmrJobFlows
{
    /// <summary>A cluster that can take steps.</summary>
    public static bool IsReady(EmrCluster cluster) => cluster.Status.State is "WAITING" or "RUNNING";

    /// <summary>The task output of a cluster: <c>job_flow_id</c>, <c>state</c>, <c>cluster_arn</c>, <c>log_uri</c>,
    /// <c>master_public_dns_name</c>.</summary>
    public static IReadOnlyDictionary<string, object?> Output(EmrCluster cluster) => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["job_flow_id"] = cluster.Id,
        ["state"] = cluster.Status.State,
        ["cluster_arn"] = cluster.ClusterArn,
        ["log_uri"] = cluster.LogUri,
        ["master_public_dns_name"] = cluster.MasterPublicDnsName,
    };

    /// <summary>EMR's reason for the cluster's state, as <c>" (CODE: message)"</c>, or empty.</summary>
    public static string Reason(EmrCluster cluster) => cluster.Status.StateChangeReason is { } reason && (reason.Code ?? reason.Message) is not null
        ? $" ({string.Join(": ", new[] { reason.Code, reason.Message }.Where(p => !string.IsNullOrEmpty(p)))})"
        : "";
}
