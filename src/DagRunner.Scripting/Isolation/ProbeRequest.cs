namespace DagRunner.Scripting.Isolation;

/// <summary>One line to a probe process: run this file, compiled under this cache key by a runner
/// whose assemblies and runtime are <paramref name="Environment"/> (see <c>ScriptAssemblies.Stamp</c>).</summary>
internal sealed record ProbeRequest(string File, string Key, string Environment);
