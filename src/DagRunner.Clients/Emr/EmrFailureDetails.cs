namespace DagRunner.Clients.Emr;

/// <summary>EMR's best guess at why a step failed, and the log file it read that from.</summary>
public sealed record EmrFailureDetails(string? Reason, string? Message, string? LogFile);
