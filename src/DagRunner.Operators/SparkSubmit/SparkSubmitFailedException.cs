using DagRunner.Sdk;

namespace DagRunner.Operators.SparkSubmit;

/// <summary>A spark-submit app that did not succeed, with what each source said in the message.</summary>
public sealed class SparkSubmitFailedException(string message) : TaskFailedException(message);

/// <summary>A spark-submit app whose outcome could not be learned: YARN or Spark could not be asked within
/// <c>VerifyTimeout</c> and no source said it failed. A retry asks about the same app again instead of
/// submitting the job again.</summary>
public sealed class SparkSubmitVerdictUnknownException(string message) : TaskFailedException(message);
