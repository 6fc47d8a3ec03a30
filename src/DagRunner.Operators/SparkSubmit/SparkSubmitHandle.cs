using System.Text.Json.Serialization;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Remote;

namespace DagRunner.Operators.SparkSubmit;

/// <summary>What a spark-submit task learned about its app, recorded before anything is waited for: the
/// attempt's YARN <paramref name="Tag"/> from before spark-submit starts, the YARN <paramref name="AppId"/> as
/// soon as spark-submit prints it, and the process (<paramref name="Host"/>, <paramref name="Pid"/>). A retry or a
/// restarted runner follows that app in YARN (by id, else by tag) instead of submitting the job twice.
/// <paramref name="Verdict"/> is <c>submitting</c> until the app id is known, null while it runs, then
/// <c>succeeded</c>, <c>failed</c> or <c>unknown</c> (asked about again by the next try), with each source's
/// <paramref name="Evidence"/>. <paramref name="ExitCode"/> is spark-submit's, when it was seen to exit.</summary>
public sealed record SparkSubmitHandle(
    string Tag,
    string Host,
    string? AppId = null,
    string? TrackingUrl = null,
    int? Pid = null,
    int? ExitCode = null,
    string? Verdict = SparkSubmitHandle.Submitting,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SourceEvidence>? Evidence = null) : IRemoteHandle
{
    /// <summary>The kind a spark-submit handle is recorded under in the task's checkpoint.</summary>
    public const string Kind = "spark_submit";

    /// <summary>The verdict of a handle whose app id is not known yet.</summary>
    public const string Submitting = "submitting";

    /// <summary>The verdict of an outcome no source could be asked about in time.</summary>
    public const string Unknown = "unknown";

    /// <inheritdoc/>
    public string Describe() => $"spark-submit app {AppId ?? "? (tag " + Tag + ")"} on {Host}" + (Verdict == Unknown ? ", verdict unknown" : "");

    /// <summary>The task's output: the handle's fields under their template names.</summary>
    public IReadOnlyDictionary<string, object?> ToOutput() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["app_id"] = AppId,
        ["yarn_tag"] = Tag,
        ["tracking_url"] = TrackingUrl,
        ["exit_code"] = ExitCode,
        ["host"] = Host,
    };
}
