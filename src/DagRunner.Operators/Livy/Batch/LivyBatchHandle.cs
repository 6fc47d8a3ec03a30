namespace DagRunner.Operators.Livy.Batch;

/// <summary>What a batch task learned about its remote job, recorded as soon as Livy reveals it:
/// enough to follow the same batch again (by id, or by name, or in YARN by tag) instead of
/// submitting a new one.</summary>
public sealed record LivyBatchHandle(string BatchId, string Name, string Tag, string? AppId, string? SparkUiUrl, string? DriverLogUrl)
{
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
