namespace DagRunner.Clients.Livy;

/// <summary><c>appInfo</c>: the Spark UI and driver log URLs, null until the app runs.</summary>
public sealed record LivyAppInfo(string? DriverLogUrl, string? SparkUiUrl);
