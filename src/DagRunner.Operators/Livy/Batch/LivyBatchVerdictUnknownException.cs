using DagRunner.Sdk;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>A batch whose outcome could not be learned: a source (YARN, Spark) could not be asked
/// within <c>VerifyTimeout</c> and no source said it failed. The attempt fails, its handle records
/// the verdict as unknown, and a retry asks about the same app again instead of submitting the job.</summary>
public sealed class LivyBatchVerdictUnknownException(string message) : TaskFailedException(message);
