using System.Collections.Immutable;
using DagRunner.Operators.Emr;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Livy.Session;
using DagRunner.Operators.Remote;
using DagRunner.Operators.SparkSubmit;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Runs;

/// <summary>An operator's recorded handle as the evidence panel shows it: ids, states, who said what,
/// and links. Every text a source gave passes the masker.</summary>
internal static class RemoteJobViews
{
    public static RemoteJobView? Of(IRemoteHandle? handle, ClusterLinks links, SecretMasker secrets) => handle switch
    {
        LivyBatchHandle batch => Batch(batch, links, secrets),
        SparkSubmitHandle submit => SparkSubmit(submit, links, secrets),
        EmrStepsHandle steps => EmrSteps(steps, links, secrets),
        EmrJobFlowHandle cluster => new RemoteJobView(
            EmrJobFlowHandle.Kind,
            cluster.ClusterId ?? "",
            cluster.Name,
            null,
            cluster.State,
            cluster.Verdict is EmrJobFlowHandle.Submitting ? null : cluster.Verdict,
            [],
            [],
            secrets.Mask(cluster.Describe()) ?? ""),
        LivySessionHandle session => new RemoteJobView(
            LivySessionHandle.Kind,
            session.SessionId,
            session.Name,
            null,
            null,
            null,
            [],
            [.. new[] { links.Livy("session", session.SessionId) }.OfType<RemoteLink>()],
            secrets.Mask(session.Describe()) ?? ""),
        null => null,
        _ => new RemoteJobView("remote", "", null, null, null, null, [], [], secrets.Mask(handle.Describe()) ?? ""),
    };

    private static RemoteJobView Batch(LivyBatchHandle batch, ClusterLinks links, SecretMasker secrets)
    {
        // Handles recorded before the evidence was kept still say what Livy said.
        var evidence = batch.Evidence is { } recorded
            ? recorded.Select(e => new EvidenceView(e.Source, e.Verdict, secrets.Mask(e.Said) ?? ""))
            : batch.LivyState is { } state && batch.Verdict is "succeeded" or "failed" or "unknown"
                ? [new EvidenceView("Livy", state == "success" ? "succeeded" : "failed", state)]
                : [];
        var verdict = batch.Verdict is LivyBatchHandle.Submitting ? null : batch.Verdict;
        var id = batch.Verdict is LivyBatchHandle.Submitting ? "" : batch.BatchId;
        return new RemoteJobView(
            LivyBatchHandle.Kind,
            id,
            batch.Name,
            batch.AppId,
            batch.LivyState,
            verdict,
            [.. evidence],
            [.. new[] { links.Livy("batch", id), links.Yarn(batch.AppId), links.Spark(batch.SparkUiUrl, batch.AppId) }.OfType<RemoteLink>()],
            secrets.Mask(batch.Describe()) ?? "");
    }

    // spark-submit's app: the host it ran on as the id, the app, who said what, and the YARN and Spark links.
    private static RemoteJobView SparkSubmit(SparkSubmitHandle submit, ClusterLinks links, SecretMasker secrets) => new(
        SparkSubmitHandle.Kind,
        secrets.Mask(submit.Host) ?? "",
        null,
        submit.AppId,
        null,
        submit.Verdict is SparkSubmitHandle.Submitting ? null : submit.Verdict,
        [.. (submit.Evidence ?? []).Select(e => new EvidenceView(e.Source, e.Verdict, secrets.Mask(e.Said) ?? ""))],
        [.. new[] { links.Yarn(submit.AppId), links.Spark(submit.TrackingUrl, submit.AppId) }.OfType<RemoteLink>()],
        secrets.Mask(submit.Describe()) ?? "");

    // EMR steps: the step ids as the id, the cluster as the name, each step's sources (named by step when there
    // are several) and the YARN and Spark links of their apps.
    private static RemoteJobView EmrSteps(EmrStepsHandle handle, ClusterLinks links, SecretMasker secrets) => new(
        EmrStepsHandle.Kind,
        string.Join(", ", handle.Steps.Select(s => s.StepId).OfType<string>()),
        handle.ClusterId,
        handle.Steps.Select(s => s.AppId).FirstOrDefault(a => a is not null),
        handle.Steps.Count == 1 ? handle.Steps[0].State : null,
        handle.Verdict is EmrStepsHandle.Submitting or EmrStepsHandle.HandedOver ? null : handle.Verdict,
        [.. handle.Steps.SelectMany(step => (step.Evidence ?? []).Select(e => new EvidenceView(
            handle.Steps.Count == 1 ? e.Source : $"{e.Source} ({step.StepId})", e.Verdict, secrets.Mask(e.Said) ?? "")))],
        [.. handle.Steps.SelectMany(step => new[] { links.Yarn(step.AppId), links.Spark(null, step.AppId) }).OfType<RemoteLink>()],
        secrets.Mask(handle.Describe()) ?? "");

    /// <summary>The statement outputs a session handle recorded, by position.</summary>
    public static IReadOnlyList<string?> Outputs(IRemoteHandle? handle) => handle is LivySessionHandle session ? session.Outputs : [];
}
