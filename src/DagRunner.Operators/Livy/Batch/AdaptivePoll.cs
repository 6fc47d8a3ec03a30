namespace DagRunner.Operators.Livy.Batch;

/// <summary>Poll delays that start fast (a short job ends in seconds) and back off to the
/// operator's <c>PollInterval</c>, so a long job costs the server one request per interval.</summary>
internal sealed class AdaptivePoll(TimeSpan slowest)
{
    private static readonly TimeSpan Fastest = TimeSpan.FromMilliseconds(250);
    private TimeSpan _next = Fastest < slowest ? Fastest : slowest;

    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(slowest.Ticks, (long)(_next.Ticks * 1.5)));
        return delay;
    }
}
