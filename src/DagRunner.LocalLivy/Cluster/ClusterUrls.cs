namespace DagRunner.LocalLivy.Cluster;

/// <summary>The URLs an app is reachable at on this server: the RM proxy in front of the Spark UI
/// (Livy's <c>sparkUiUrl</c>) and the NodeManager's container log page (<c>driverLogUrl</c>).</summary>
internal sealed class ClusterUrls
{
    /// <summary>The server's base URL without a trailing slash; set once the server is listening.</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:8998";

    public string SparkUi(ClusterApp app) => $"{BaseUrl}/proxy/{app.Id}/";

    public string DriverLog(ClusterApp app) => $"{BaseUrl}/node/containerlogs/{app.ContainerId}/{app.User}";

    public string History(ClusterApp app) => $"{BaseUrl}/cluster/app/{app.Id}";
}
