namespace DagRunner.Sdk;

/// <summary>The language of a Livy interactive session or of one statement, as Livy names them.</summary>
public enum SessionKind
{
    /// <summary>Scala (Livy kind <c>spark</c>).</summary>
    Spark,

    /// <summary>Python (Livy kind <c>pyspark</c>).</summary>
    PySpark,

    /// <summary>R (Livy kind <c>sparkr</c>).</summary>
    SparkR,

    /// <summary>Spark SQL (Livy kind <c>sql</c>).</summary>
    Sql,
}
