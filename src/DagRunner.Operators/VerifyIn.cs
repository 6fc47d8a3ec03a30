namespace DagRunner.Operators;

/// <summary>Where a Livy batch's outcome is double-checked after Livy reports a final state.</summary>
[Flags]
public enum VerifyIn
{
    /// <summary>Trust Livy's state alone.</summary>
    None = 0,

    /// <summary>YARN must report state <c>FINISHED</c> and final status <c>SUCCEEDED</c>.</summary>
    Yarn = 1,

    /// <summary>Spark must report at least one job, all <c>SUCCEEDED</c> and none <c>FAILED</c>.</summary>
    Spark = 2,
}
