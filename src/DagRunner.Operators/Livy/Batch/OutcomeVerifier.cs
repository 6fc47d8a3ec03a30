using DagRunner.Clients.Http;
using DagRunner.Clients.Spark;
using DagRunner.Clients.Yarn;
using Polly;
using Polly.Retry;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>
/// Asks YARN and Spark how the app really ended (reference §7): YARN must say FINISHED/SUCCEEDED;
/// Spark must know the app, report at least one job, every job SUCCEEDED and no non-zero exit
/// code. Within the wait (the operator's <c>VerifyTimeout</c>), transient answers (RUNNING with a
/// final status, a History Server that has not caught up) are asked again before they count as a
/// "no", and a source that cannot be reached (connection refused, 5xx, 429, no answer) is asked
/// again with backoff: it is no evidence of failure, and if it stays silent its verdict is unknown.
/// </summary>
internal sealed class OutcomeVerifier(TimeProvider time, TextWriter log, TimeSpan wait)
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(10);

    public Task<Evidence> YarnAsync(YarnClient yarn, string? appId, string tag, CancellationToken cancellationToken) =>
        AskAsync("YARN", yarn.Transport, async started =>
        {
            if (appId is null)
            {
                var tagged = await yarn.FindAppsByTagAsync(tag, cancellationToken).ConfigureAwait(false);
                appId = tagged.Count > 0 ? tagged[0].Id : null;
            }

            if (appId is null)
                return new Evidence("YARN", false, $"no application: no app id was recorded and none is tagged {tag}");
            while (true)
            {
                var app = await yarn.GetAppAsync(appId, cancellationToken).ConfigureAwait(false);
                if (app is null)
                    return new Evidence("YARN", false, $"application {appId} is unknown to the ResourceManager (404)");
                if (app.IsTerminal || time.GetElapsedTime(started) >= wait)
                {
                    var said = $"{app.State}/{app.FinalStatus}" + (string.IsNullOrWhiteSpace(app.Diagnostics) ? "" : $", diagnostics: {app.Diagnostics.Trim()}");
                    return new Evidence("YARN", app.Succeeded, said);
                }

                await Task.Delay(Pause, time, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

    public Task<Evidence> SparkAsync(SparkClient spark, string? appId, CancellationToken cancellationToken) =>
        appId is null
            ? Task.FromResult(new Evidence("Spark", false, "no application id to ask about"))
            : AskAsync("Spark", spark.Transport, async started =>
            {
                SparkApplication? application;
                while ((application = await spark.GetApplicationAsync(appId, cancellationToken).ConfigureAwait(false)) is null && time.GetElapsedTime(started) < wait)
                    await Task.Delay(Pause, time, cancellationToken).ConfigureAwait(false);
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
            }, cancellationToken);

    /// <summary>Writes one line per source and weighs them: failed when any source says so on
    /// evidence, unknown when none does but one could not be asked, succeeded when all say so.</summary>
    public Verdict Decide(IReadOnlyList<Evidence> evidence)
    {
        foreach (var item in evidence)
            log.WriteLine($"  {item.Source}: {Word(item.Verdict)} ({item.Said})");
        return evidence.Any(e => e.Verdict == Verdict.Failed) ? Verdict.Failed
            : evidence.Any(e => e.Verdict == Verdict.Unknown) ? Verdict.Unknown
            : Verdict.Succeeded;
    }

    /// <summary>How a verdict is written in the log and in messages.</summary>
    public static string Word(Verdict verdict) => verdict switch
    {
        Verdict.Succeeded => "succeeded",
        Verdict.Failed => "FAILED",
        _ => "UNKNOWN",
    };

    // One source, asked until it answers: an error that says nothing about the app (it could not be
    // reached, or it was busy) is asked again with backoff until the wait is spent, and then the
    // source's verdict is unknown, with the last error.
    private async Task<Evidence> AskAsync(string source, RestTransport transport, Func<long, Task<Evidence>> ask, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            return await Retries(source, started).ExecuteAsync(async _ => await ask(started).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteApiException e)
        {
            var elapsed = time.GetElapsedTime(started);
            // Polly hands back the error when the token is cancelled where the pause before asking
            // again would have been cancelled: that stays a cancellation.
            if (IsTransient(e) && elapsed < wait)
                cancellationToken.ThrowIfCancellationRequested();
            var seconds = TimeSpan.FromSeconds(Math.Max(1, Math.Round(elapsed.TotalSeconds)));
            return new Evidence(source, Verdict.Unknown, $"could not be asked for {RestTransport.Seconds(seconds)}: {e.Message}", transport.Connection.ToString());
        }
    }

    // Asked again while the error is transient and the wait lasts, after 1 s, 2 s, 4 s, 8 s, then
    // every 10 s, the last pause cut to what is left of the wait.
    private ResiliencePipeline<Evidence> Retries(string source, long started) =>
        new ResiliencePipelineBuilder<Evidence> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<Evidence>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = new PredicateBuilder<Evidence>().Handle<RemoteApiException>(e => IsTransient(e) && time.GetElapsedTime(started) < wait),
                DelayGenerator = arguments =>
                {
                    var pause = TimeSpan.FromSeconds(Math.Min(LongestPause.TotalSeconds, Pause.TotalSeconds * Math.Pow(2, arguments.AttemptNumber)));
                    var remaining = wait - time.GetElapsedTime(started);
                    return ValueTask.FromResult<TimeSpan?>(pause < remaining ? pause : remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
                },
                OnRetry = arguments =>
                {
                    log.WriteLine($"  {source} could not be asked ({arguments.Outcome.Exception!.Message}); asking again.");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    // Connection errors and timeouts (no status), overload (429) and server errors (5xx) say nothing
    // about the app. A 4xx or an answer that is not the documented JSON will not change by asking again.
    private static bool IsTransient(RemoteApiException e) => e.Status is null or 429 or >= 500;
}
