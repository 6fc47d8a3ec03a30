namespace DagRunner.Templating.Literals;

/// <summary>The language a <c>lit</c> literal is written in: the statement's language.</summary>
public enum LiteralLanguage
{
    /// <summary>Python 3 (PySpark sessions).</summary>
    Python,

    /// <summary>Scala 2.12, 2.13 and 3 (Spark sessions).</summary>
    Scala,

    /// <summary>R (SparkR sessions).</summary>
    R,

    /// <summary>Spark SQL with its default string escaping (SQL sessions).</summary>
    SparkSql,

    /// <summary>JSON (documents such as an EMR cluster template).</summary>
    Json,
}
