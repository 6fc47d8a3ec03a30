using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Livy;

namespace DagRunner.LocalLivy.Emr;

/// <summary>Runs a step's <c>spark-submit</c> the way LocalLivy runs a batch (the same
/// <see cref="BatchRunner"/>, so the app shows in the YARN and Spark views with its tags and final
/// status) and maps the app's end onto the step, as EMR follows the step's spark-submit.</summary>
internal static class StepRunner
{
    private const string UnknownError = "Unknown Error.";

    public static async Task RunAsync(EmrStep step, LocalCluster cluster)
    {
        var time = cluster.Time;
        var (request, error) = SparkSubmitCommand.Read(step.Config);
        ResolvedFiles? files = null;
        if (request is not null)
            (files, error) = ResolvedFiles.Resolve(cluster.Paths, request.File, request);
        if (files is null)
        {
            step.Finish(EmrStates.Failed, null, new FailureDetailsView(UnknownError, error!, null), time.GetUtcNow());
            return;
        }

        // No Livy tag: the step's app carries only the tags of its spark-submit (spark.yarn.tags).
        var batch = new LivyBatch(step.Sequence, request!.Name, request, tag: "", cluster.Options.LogLines, time.GetUtcNow());
        if (step.Attach(batch))
            batch.Deleting = true;
        await BatchRunner.RunAsync(batch, files, cluster, changed: () => { }).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var app = batch.App;
        if (app is { FinalStatus: YarnState.Succeeded })
            step.Finish(EmrStates.Completed, null, null, now);
        else if (step.CancelRequested || app is { State: YarnState.Killed })
            step.Finish(EmrStates.Cancelled, null, null, now);
        else
            step.Finish(EmrStates.Failed, null, Failure(batch, app), now);
    }

    // EMR reads the step's log for the root cause; the last exception or error line is ours.
    private static FailureDetailsView Failure(LivyBatch batch, ClusterApp? app)
    {
        var cause = batch.Output.Snapshot().LastOrDefault(IsCause);
        var message = cause ?? (app is { Diagnostics.Length: > 0 } ? app.Diagnostics : "The step's spark-submit failed.");
        return new FailureDetailsView(cause ?? UnknownError, message, app?.DriverLogFile);
    }

    private static bool IsCause(string line) =>
        line.Contains("Exception", StringComparison.Ordinal) || line.Contains("Error", StringComparison.Ordinal);
}
