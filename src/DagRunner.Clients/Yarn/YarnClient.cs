using DagRunner.Clients.Http;

namespace DagRunner.Clients.Yarn;

/// <summary>The YARN ResourceManager REST API (reference §5): an app's state, kill, find by tag.</summary>
public sealed class YarnClient(RestTransport transport)
{
    public RestTransport Transport => transport;

    /// <summary><c>GET /ws/v1/cluster/apps/{appId}</c>; null when the RM does not know it (404).</summary>
    public async Task<YarnApp?> GetAppAsync(string appId, CancellationToken cancellationToken)
    {
        var answer = await transport.GetAsync(["ws", "v1", "cluster", "apps", appId], UserQuery(), cancellationToken).ConfigureAwait(false);
        return answer.Status == 404 ? null : transport.Read(answer, ClientJson.Default.YarnAppAnswer).App;
    }

    /// <summary>Apps carrying <paramref name="tag"/> (tags are lower-cased by YARN).</summary>
    public async Task<IReadOnlyList<YarnApp>> FindAppsByTagAsync(string tag, CancellationToken cancellationToken)
    {
        var answer = await transport.GetAsync(["ws", "v1", "cluster", "apps"], [.. UserQuery(), ("applicationTags", tag.ToLowerInvariant())], cancellationToken).ConfigureAwait(false);
        return transport.Read(answer, ClientJson.Default.YarnAppsAnswer).Apps?.App ?? [];
    }

    /// <summary><c>PUT /ws/v1/cluster/apps/{appId}/state {"state":"KILLED"}</c>. The RM answers 202
    /// while the kill is under way; the caller polls <see cref="GetAppAsync"/> if it must know.</summary>
    public async Task KillAsync(string appId, CancellationToken cancellationToken)
    {
        var answer = await transport.SendAsync(HttpMethod.Put, ["ws", "v1", "cluster", "apps", appId, "state"], UserQuery(), new YarnStateRequest("KILLED"), ClientJson.Default.YarnStateRequest, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
            throw transport.Failure(answer);
    }

    // Hadoop's simple auth names the user in the query; a kill needs one.
    private (string, object?)[] UserQuery() => [("user.name", transport.Connection.HadoopUser ?? "dagrunner")];
}
