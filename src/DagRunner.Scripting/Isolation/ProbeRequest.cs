namespace DagRunner.Scripting.Isolation;

/// <summary>One line to a probe process: run this file, compiled under this cache key by a runner
/// whose assemblies and runtime are <paramref name="Environment"/> (see <c>ScriptAssemblies.Stamp</c>).</summary>
/// <param name="Snapshot">When set, the key of the definitions snapshot the runner would read
/// (<see cref="Caching.DefinitionSnapshots"/>): the probe also builds the definitions of a file that loads and keeps
/// them under it, so a runner that only shows DAGs takes them from there instead of running the file a second time.</param>
internal sealed record ProbeRequest(string File, string Key, string Environment, string? Snapshot = null);
