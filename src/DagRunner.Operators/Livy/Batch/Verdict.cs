namespace DagRunner.Operators.Livy.Batch;

/// <summary>How a batch ended, as the evidence shows it. A source that could not be asked is not
/// evidence of failure: with nothing saying "failed" and a source still silent, the verdict is unknown.</summary>
internal enum Verdict
{
    Succeeded,
    Failed,
    Unknown,
}
