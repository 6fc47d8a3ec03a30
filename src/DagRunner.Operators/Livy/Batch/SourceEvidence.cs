namespace DagRunner.Operators.Livy.Batch;

/// <summary>What one source (Livy, YARN or Spark) said about how a batch ended, as recorded in its
/// handle when the verdict was weighed: for a front end to show who said what.</summary>
/// <param name="Source"><c>Livy</c>, <c>YARN</c> or <c>Spark</c>.</param>
/// <param name="Verdict"><c>succeeded</c>, <c>failed</c> or <c>unknown</c> (could not be asked).</param>
/// <param name="Said">What it said, e.g. <c>FINISHED/FAILED, diagnostics: User application exited with status 1</c>.</param>
public sealed record SourceEvidence(string Source, string Verdict, string Said);
