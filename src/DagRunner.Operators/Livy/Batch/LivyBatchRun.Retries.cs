using DagRunner.Clients.Http;
using Polly;
using Polly.Retry;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>The retries of a batch attempt's failing calls, on Polly with the clients' clock (so a
/// <c>FakeTimeProvider</c> drives them): the submission whose answer was lost and which nobody
/// created, the lookup of a lost submission while Livy or YARN cannot be asked, and the cleanup's
/// DELETE. Following a batch or an app until it ends is polling, not retrying: those loops stay
/// loops (<see cref="AdaptivePoll"/>), asking again at the next poll when a source cannot be asked.</summary>
internal sealed partial class LivyBatchRun
{
    // A POST /batches is sent at most this many times, and again only when Livy and YARN both said
    // the previous one created nothing.
    private const int MostPosts = 5;

    // What one POST ended with: the batch it created (or that Livy or YARN showed under its name or
    // tag after its answer was lost), or the error when both sources said nothing was created.
    private sealed record Submission(Located? Found, RemoteApiException? NothingCreated);

    // POSTed again after 1 s, 2 s, 3 s, 4 s, only when nothing was created and Livy did not refuse
    // the request (a 400 will not change).
    private ResiliencePipeline<Submission> SubmitRetries() =>
        new ResiliencePipelineBuilder<Submission> { TimeProvider = clients.Time }
            .AddRetry(new RetryStrategyOptions<Submission>
            {
                MaxRetryAttempts = MostPosts - 1,
                BackoffType = DelayBackoffType.Linear,
                Delay = TimeSpan.FromSeconds(1),
                ShouldHandle = new PredicateBuilder<Submission>().HandleResult(s => s.NothingCreated is { Status: not 400 }),
            })
            .Build();

    // A lookup that could not ask a source (null) is asked again at the poll's pace; the lookup
    // itself throws once a source has been unreachable for UnreachableTimeout.
    private ResiliencePipeline<Located?> LookupRetries()
    {
        var poll = new AdaptivePoll(task.PollInterval);
        return new ResiliencePipelineBuilder<Located?> { TimeProvider = clients.Time }
            .AddRetry(new RetryStrategyOptions<Located?>
            {
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = _ => ValueTask.FromResult<TimeSpan?>(poll.Next()),
                ShouldHandle = new PredicateBuilder<Located?>().HandleResult(found => found is null),
            })
            .Build();
    }

    // DELETE is asked again after 1 s, 2 s, ... 10 s, 10 s, until Livy answers or the cleanup's
    // budget (the token) runs out.
    private ResiliencePipeline<bool> DeleteRetries(string id) =>
        new ResiliencePipelineBuilder<bool> { TimeProvider = clients.Time }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Linear,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(10),
                ShouldHandle = new PredicateBuilder<bool>().Handle<RemoteApiException>(),
                OnRetry = arguments =>
                {
                    _log.WriteLine($"Deleting batch {id} failed ({arguments.Outcome.Exception!.Message}); asking again.");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
