using System.Collections.Concurrent;
using System.Security.Cryptography;
using DagRunner.LocalLivy.Cluster;

namespace DagRunner.LocalLivy.Emr;

/// <summary>The EMR control plane: the clusters by id and the operations on them, in the request and
/// answer shapes of the EMR API. It lives as long as the server (a Livy restart leaves it alone, as
/// it leaves EMR alone).</summary>
internal sealed partial class EmrService(LocalCluster cluster)
{
    private const string IdCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly ConcurrentDictionary<string, EmrCluster> _clusters = new(StringComparer.Ordinal);
    private int _stepSequence;

    private TimeProvider Time => cluster.Time;

    /// <summary>Terminates every cluster and waits until their steps' processes have ended.</summary>
    public async Task StopAsync()
    {
        foreach (var emr in _clusters.Values)
            emr.Terminate("USER_REQUEST", "LocalLivy stopped.");
        await Task.WhenAll(_clusters.Values.Select(emr => emr.Terminated)).ConfigureAwait(false);
    }

    private EmrCluster Find(string? id, string member)
    {
        Require(id, member);
        return _clusters.TryGetValue(id!, out var emr) ? emr : throw EmrException.InvalidRequest($"Cluster id '{id}' is not valid.");
    }

    private static void Require(string? value, string member)
    {
        if (string.IsNullOrEmpty(value))
            throw EmrException.Validation($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");
    }

    private static string NewId(string prefix) => prefix + RandomNumberGenerator.GetString(IdCharacters, 13);
}
