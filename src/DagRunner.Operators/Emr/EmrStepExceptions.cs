using DagRunner.Sdk;

namespace DagRunner.Operators.Emr;

/// <summary>An EMR step that did not succeed, with what each source (EMR, YARN, Spark) said in the message.</summary>
public sealed class EmrStepFailedException(string message) : TaskFailedException(message);

/// <summary>EMR steps whose outcome could not be learned: a source could not be asked within <c>VerifyTimeout</c>
/// and none said a step failed. A retry asks about the same steps again instead of adding them again.</summary>
public sealed class EmrStepVerdictUnknownException(string message) : TaskFailedException(message);
