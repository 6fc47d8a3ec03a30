namespace DagRunner.Clients.Emr;

/// <summary>Why a cluster or step is in its state: a code and EMR's message.</summary>
public sealed record EmrStateChangeReason(string? Code, string? Message);
