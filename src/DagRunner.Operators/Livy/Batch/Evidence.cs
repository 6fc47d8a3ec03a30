namespace DagRunner.Operators.Livy.Batch;

/// <summary>What one source said about how the batch ended.</summary>
internal sealed record Evidence(string Source, bool Succeeded, string Said);
