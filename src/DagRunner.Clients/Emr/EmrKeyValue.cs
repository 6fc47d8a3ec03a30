namespace DagRunner.Clients.Emr;

/// <summary>A key and a value (a Java system property of a step, a tag).</summary>
public sealed record EmrKeyValue(string Key, string? Value);
