using System.Text.Json.Serialization;
using DagRunner.Operators.Remote;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>What a batch task learned about its remote job, recorded as soon as Livy reveals it:
/// enough to follow the same batch again (by id, or by name, or in YARN by tag) instead of
/// submitting a new one. <paramref name="Verdict"/> is <c>succeeded</c>, <c>failed</c> or <c>unknown</c>
/// once the outcome was weighed (null before), <c>submitting</c> from just before <c>POST /batches</c> until
/// Livy's answer gives the batch's id (then <paramref name="BatchId"/> is still the name, and the batch,
/// if the POST created one, is looked up by name in Livy and by tag in YARN), and <paramref name="LivyState"/> the final state Livy
/// gave (<c>forgotten</c> when Livy no longer knew the batch): an unknown verdict is asked about again
/// by the next try, with what Livy said. <paramref name="Evidence"/> is what each source said when the verdict
/// was weighed (null in handles recorded before it was kept, and before the verdict; left out of the JSON
/// when null, so a handle without it is written as before and an older runner reads it).</summary>
public sealed record LivyBatchHandle(string BatchId, string Name, string Tag, string? AppId, string? SparkUiUrl, string? DriverLogUrl, string? Verdict = null, string? LivyState = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SourceEvidence>? Evidence = null) : IRemoteHandle
{
    /// <summary>The kind a batch handle is recorded under in the task's checkpoint (and the run store).</summary>
    public const string Kind = "livy_batch";

    /// <inheritdoc/>
    public string Describe() => $"batch {BatchId} app {AppId ?? "?"}" + (Verdict == Unknown ? ", verdict unknown" : "");

    /// <summary>The verdict of an outcome no source could be asked about in time.</summary>
    public const string Unknown = "unknown";

    /// <summary>The verdict of a handle recorded before <c>POST /batches</c> was answered.</summary>
    public const string Submitting = "submitting";

    /// <summary>The task's output: the handle's fields under their template names.</summary>
    public IReadOnlyDictionary<string, object?> ToOutput(string livyState) => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["batch_id"] = BatchId,
        ["batch_name"] = Name,
        ["yarn_tag"] = Tag,
        ["app_id"] = AppId,
        ["spark_ui_url"] = SparkUiUrl,
        ["driver_log_url"] = DriverLogUrl,
        ["livy_state"] = livyState,
    };
}
