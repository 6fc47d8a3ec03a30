using System.Text.Json.Serialization;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Remote;

namespace DagRunner.Operators.Emr;

/// <summary>What an <see cref="EmrAddStepsOperator"/> attempt learned about its steps, recorded before anything
/// is waited for: the cluster and each step's name and YARN tag before <c>AddJobFlowSteps</c> is sent
/// (<paramref name="Verdict"/> <c>submitting</c>), the step ids as soon as EMR answers. A retry or a restarted
/// runner follows those steps (found by name when the answer was lost) instead of adding them again.
/// <paramref name="Verdict"/> is null while they run, then <c>succeeded</c>, <c>failed</c> or <c>unknown</c>, or
/// <c>handed_over</c> when they were added for a sensor to wait for.</summary>
public sealed record EmrStepsHandle(
    string ClusterId,
    IReadOnlyList<EmrStepRecord> Steps,
    string? Verdict = EmrStepsHandle.Submitting,
    string? LogUri = null) : IRemoteHandle
{
    /// <summary>The kind an EMR steps handle is recorded under in the task's checkpoint.</summary>
    public const string Kind = "emr_steps";

    /// <summary>The verdict of a handle whose steps' ids are not known yet.</summary>
    public const string Submitting = "submitting";

    /// <summary>The verdict of an outcome a source could not be asked about in time.</summary>
    public const string Unknown = "unknown";

    /// <summary>The verdict of steps added for a sensor to wait for (<c>WaitForCompletion = false</c>): the task's part is
    /// done, and a later try adds its own steps.</summary>
    public const string HandedOver = "handed_over";

    /// <inheritdoc/>
    public string Describe() =>
        $"EMR {(Steps.Count == 1 ? "step" : "steps")} {string.Join(", ", Steps.Select(s => s.StepId ?? "? (" + s.Name + ")"))} on {ClusterId}" +
        (Steps.FirstOrDefault(s => s.AppId is not null) is { } withApp ? $" app {withApp.AppId}" : "") +
        (Verdict == Unknown ? ", verdict unknown" : "");

    /// <summary>The task's output: the cluster and steps under their template names.</summary>
    public IReadOnlyDictionary<string, object?> ToOutput() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["job_flow_id"] = ClusterId,
        ["step_id"] = Steps.Count > 0 ? Steps[0].StepId : null,
        ["step_ids"] = Steps.Select(s => s.StepId).ToList(),
        ["app_id"] = Steps.Select(s => s.AppId).FirstOrDefault(a => a is not null),
        ["app_ids"] = Steps.Select(s => s.AppId).ToList(),
        ["yarn_tags"] = Steps.Select(s => s.Tag).ToList(),
        ["log_uri"] = LogUri,
    };
}

/// <summary>One step of an <see cref="EmrStepsHandle"/>: its EMR <paramref name="Name"/> (unique per attempt),
/// the YARN <paramref name="Tag"/> of a Spark step, its <paramref name="StepId"/> once known, its YARN
/// <paramref name="AppId"/> once found, EMR's last <paramref name="State"/>, and what each source said when its
/// outcome was weighed.</summary>
public sealed record EmrStepRecord(
    string Name,
    string? Tag,
    string? StepId = null,
    string? AppId = null,
    string? State = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SourceEvidence>? Evidence = null);
