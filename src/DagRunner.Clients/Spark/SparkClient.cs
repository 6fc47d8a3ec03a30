using DagRunner.Clients.Http;

namespace DagRunner.Clients.Spark;

/// <summary>The Spark monitoring REST API (reference §4), at a History Server, a driver UI or the RM
/// proxy (Livy's <c>sparkUiUrl</c>).</summary>
public sealed class SparkClient(RestTransport transport)
{
    private static readonly (string, object?)[] NoQuery = [];

    public RestTransport Transport => transport;

    /// <summary><c>GET /api/v1/applications/{appId}</c>; null while the server does not know it (404).</summary>
    public async Task<SparkApplication?> GetApplicationAsync(string appId, CancellationToken cancellationToken)
    {
        var answer = await transport.GetAsync(["api", "v1", "applications", appId], NoQuery, cancellationToken).ConfigureAwait(false);
        return answer.Status == 404 ? null : transport.Read(answer, ClientJson.Default.SparkApplication);
    }

    /// <summary>The app's jobs (for <paramref name="attemptId"/> when given, as a History Server needs
    /// for cluster-mode apps); null on 404.</summary>
    public async Task<IReadOnlyList<SparkJob>?> GetJobsAsync(string appId, string? attemptId, CancellationToken cancellationToken)
    {
        object[] segments = attemptId is null
            ? ["api", "v1", "applications", appId, "jobs"]
            : ["api", "v1", "applications", appId, attemptId, "jobs"];
        var answer = await transport.GetAsync(segments, NoQuery, cancellationToken).ConfigureAwait(false);
        return answer.Status == 404 ? null : transport.Read(answer, ClientJson.Default.IReadOnlyListSparkJob);
    }

    /// <summary>The app's stages (for <paramref name="attemptId"/> when given); null on 404.</summary>
    public async Task<IReadOnlyList<SparkStage>?> GetStagesAsync(string appId, string? attemptId, CancellationToken cancellationToken)
    {
        object[] segments = attemptId is null
            ? ["api", "v1", "applications", appId, "stages"]
            : ["api", "v1", "applications", appId, attemptId, "stages"];
        var answer = await transport.GetAsync(segments, NoQuery, cancellationToken).ConfigureAwait(false);
        return answer.Status == 404 ? null : transport.Read(answer, ClientJson.Default.IReadOnlyListSparkStage);
    }
}
