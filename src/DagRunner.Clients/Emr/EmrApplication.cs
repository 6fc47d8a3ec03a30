namespace DagRunner.Clients.Emr;

/// <summary>An application to install on a new cluster, such as <c>Spark</c>.</summary>
public sealed record EmrApplication(string Name);
