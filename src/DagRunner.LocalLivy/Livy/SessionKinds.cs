namespace DagRunner.LocalLivy.Livy;

/// <summary>Livy's session and statement kinds, with the aliases Livy accepts.</summary>
internal static class SessionKinds
{
    public const string Spark = "spark";
    public const string PySpark = "pyspark";
    public const string SparkR = "sparkr";
    public const string Sql = "sql";
    public const string Shared = "shared";

    /// <summary>The canonical kind, or null when Livy would refuse the value.</summary>
    public static string? Normalize(string value) => value.ToLowerInvariant() switch
    {
        "spark" or "scala" => Spark,
        "pyspark" or "python" => PySpark,
        "sparkr" or "r" => SparkR,
        "sql" => Sql,
        "shared" => Shared,
        _ => null,
    };

    /// <summary>Kinds this server can run: Python and, when pyspark is importable, SQL.</summary>
    public static bool RunsInPython(string kind) => kind is PySpark or Sql or Shared;
}
