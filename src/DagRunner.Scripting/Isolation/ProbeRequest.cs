namespace DagRunner.Scripting.Isolation;

/// <summary>One line to a probe process: run this file, compiled under this cache key.</summary>
internal sealed record ProbeRequest(string File, string Key);
