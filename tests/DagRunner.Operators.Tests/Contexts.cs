using DagRunner.Sdk;

namespace DagRunner.Operators.Tests;

internal static class Contexts
{
    public static TaskContext For(string taskId, TextWriter? log = null, IReadOnlyDictionary<string, object?>? outputs = null, IServiceProvider? services = null, int tryNumber = 1, CheckpointStore? checkpoints = null) => new()
    {
        Services = services,
        Checkpoint = (checkpoints ?? CheckpointStore.InMemory()).For("d", "manual__2026-11-20T00:00:00+00:00", taskId, tryNumber),
        DagId = "d",
        TaskId = taskId,
        RunId = "manual__2026-11-20T00:00:00+00:00",
        LogicalDate = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
        Log = log ?? TextWriter.Null,
        Outputs = outputs ?? new Dictionary<string, object?>(),
        TryNumber = tryNumber,
    };
}
