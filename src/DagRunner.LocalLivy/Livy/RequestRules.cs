using System.Security.Cryptography;

namespace DagRunner.LocalLivy.Livy;

/// <summary>The checks Livy makes on a create request before it starts anything, with its messages.</summary>
internal static class RequestRules
{
    /// <summary>Spark settings a Livy user may not choose (Livy's default <c>spark-blacklist.conf</c>).</summary>
    public static readonly IReadOnlySet<string> BlacklistedConf = new HashSet<string>(StringComparer.Ordinal)
    {
        "spark.master",
        "spark.submit.deployMode",
        "spark.yarn.jar",
        "spark.yarn.jars",
        "spark.yarn.archive",
        "livy.rsc.server.idle-timeout",
    };

    /// <summary>The reason a create is refused (without Livy's <c>Rejected, Reason: </c> prefix), or null.</summary>
    public static string? Check(JobRequest request)
    {
        if (request.Name is { } name && name.Length > 0 && name.All(char.IsAsciiDigit))
            return $"requirement failed: Session name cannot be a number: {name}";
        var blacklisted = request.Conf.Keys.Where(BlacklistedConf.Contains).Order(StringComparer.Ordinal).ToList();
        return blacklisted.Count > 0
            ? "Blacklisted configuration values in session config: " + string.Join(", ", blacklisted)
            : null;
    }

    /// <summary>Livy's YARN tag for a new record: <c>livy-&lt;kind&gt;-&lt;id&gt;-&lt;8 random lowercase alphanumerics&gt;</c>.</summary>
    public static string Tag(string kind, int id) =>
        $"livy-{kind}-{id}-{RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8)}";
}
