using DagRunner.Sdk;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>A batch that did not succeed, with the evidence of each source in the message.</summary>
public sealed class LivyBatchFailedException(string message) : TaskFailedException(message);
