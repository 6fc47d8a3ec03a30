namespace DagRunner.Clients.Emr;

/// <summary>An AWS JSON error: its code, without the namespace, and its message.</summary>
internal sealed record EmrError(string? Code, string? Message);
