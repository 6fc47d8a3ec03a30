using DagRunner.Clients.Http;
using DagRunner.Clients.Spark;
using DagRunner.Clients.Yarn;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>
/// Asks YARN and Spark how the app really ended (reference §7): YARN must say FINISHED/SUCCEEDED;
/// Spark must know the app, report at least one job, every job SUCCEEDED and no non-zero exit
/// code. Transient answers (RUNNING with a final status, a History Server that has not caught up)
/// are asked again a few times before they count as a "no".
/// </summary>
internal sealed class OutcomeVerifier(TimeProvider time, TextWriter log, TimeSpan wait)
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    // A History Server shows a new app only after its next scan (10 s by default), so a source is
    // asked once a second for the whole wait before its silence counts as a "no".
    private readonly int _tries = Math.Max(1, (int)(wait / Pause));

    public async Task<Evidence> YarnAsync(YarnClient yarn, string? appId, string tag, CancellationToken cancellationToken)
    {
        try
        {
            if (appId is null)
            {
                var tagged = await yarn.FindAppsByTagAsync(tag, cancellationToken).ConfigureAwait(false);
                appId = tagged.Count > 0 ? tagged[0].Id : null;
            }

            if (appId is null)
                return new Evidence("YARN", false, $"no application: Livy gave no appId and none is tagged {tag}");
            for (var attempt = 1; ; attempt++)
            {
                var app = await yarn.GetAppAsync(appId, cancellationToken).ConfigureAwait(false);
                if (app is null)
                    return new Evidence("YARN", false, $"application {appId} is unknown to the ResourceManager (404)");
                if (app.IsTerminal || attempt == _tries)
                {
                    var said = $"{app.State}/{app.FinalStatus}" + (string.IsNullOrWhiteSpace(app.Diagnostics) ? "" : $", diagnostics: {app.Diagnostics.Trim()}");
                    return new Evidence("YARN", app.Succeeded, said);
                }

                await Task.Delay(Pause, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RemoteApiException e)
        {
            return new Evidence("YARN", false, "could not be asked: " + e.Message);
        }
    }

    public async Task<Evidence> SparkAsync(SparkClient spark, string? appId, CancellationToken cancellationToken)
    {
        if (appId is null)
            return new Evidence("Spark", false, "no application id to ask about");
        try
        {
            SparkApplication? application = null;
            for (var attempt = 1; attempt <= _tries && application is null; attempt++)
            {
                application = await spark.GetApplicationAsync(appId, cancellationToken).ConfigureAwait(false);
                if (application is null && attempt < _tries)
                    await Task.Delay(Pause, time, cancellationToken).ConfigureAwait(false);
            }

            if (application is null)
                return new Evidence("Spark", false, $"application {appId} is unknown to the Spark REST API (404)");
            var newest = application.Attempts.Count > 0 ? application.Attempts[0] : null;
            if (newest?.ExitCode is { } code and not 0)
                return new Evidence("Spark", false, $"the driver exited with code {code}");

            var jobs = await spark.GetJobsAsync(appId, newest?.AttemptId, cancellationToken).ConfigureAwait(false)
                ?? await spark.GetJobsAsync(appId, null, cancellationToken).ConfigureAwait(false)
                ?? [];
            if (jobs.Count == 0)
                return new Evidence("Spark", false, "no Spark job ran");
            var failed = jobs.Where(j => j.Status != "SUCCEEDED").ToList();
            return failed.Count == 0
                ? new Evidence("Spark", true, $"{jobs.Count} job(s), all SUCCEEDED")
                : new Evidence("Spark", false, $"{failed.Count} of {jobs.Count} job(s) not SUCCEEDED: " +
                    string.Join("; ", failed.Select(j => $"job {j.JobId} {j.Name} {j.Status}")));
        }
        catch (RemoteApiException e)
        {
            return new Evidence("Spark", false, "could not be asked: " + e.Message);
        }
    }

    /// <summary>Writes one line per source and returns whether all of them say success.</summary>
    public bool Decide(IReadOnlyList<Evidence> evidence)
    {
        foreach (var item in evidence)
            log.WriteLine($"  {item.Source}: {(item.Succeeded ? "succeeded" : "FAILED")} ({item.Said})");
        return evidence.All(e => e.Succeeded);
    }
}
