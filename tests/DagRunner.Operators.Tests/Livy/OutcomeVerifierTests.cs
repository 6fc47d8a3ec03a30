using System.Threading.Channels;
using DagRunner.Operators.Livy.Batch;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>The verifier's retries on a fake clock (the clients on the real one, against LocalLivy):
/// a source that cannot be asked is asked again with backoff until the wait is spent, then its
/// verdict is unknown; an error that will not change by asking again is not asked again.</summary>
public sealed class OutcomeVerifierTests
{
    private const string Yarn = "/ws/v1/cluster/apps";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task YarnNeverAnswers_AskedAgainAfter1_2_4_8_10s_AndWhatIsLeft_ThenUnknown()
    {
        await using var bed = await LivyTestbed.StartAsync(clientOptions: o => o with { MaxRetries = 1 });
        bed.Server.Faults.AnswerRequests("GET", Yarn, 503);
        var clock = new PauseRecordingClock();
        using var log = new StringWriter();
        var verifier = new OutcomeVerifier(clock, log, TimeSpan.FromSeconds(30));

        var asking = verifier.YarnAsync(bed.Clients.Yarn("yarn_default"), "application_1_0001", "tag", Token);
        var pauses = await clock.AdvanceThroughPausesAsync(asking);
        var evidence = await asking;

        Assert.Equal([1, 2, 4, 8, 10, 5], pauses.Select(p => p.TotalSeconds));
        Assert.Equal(Verdict.Unknown, evidence.Verdict);
        Assert.StartsWith("could not be asked for 30 s: ", evidence.Said, StringComparison.Ordinal);
        Assert.Contains("answered 503", evidence.Said, StringComparison.Ordinal);
        Assert.Equal(bed.Server.BaseUrl.ToString(), evidence.Where);
        Assert.Equal(6, log.ToString().Split('\n').Count(l => l.StartsWith("  YARN could not be asked (", StringComparison.Ordinal) && l.EndsWith("; asking again.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task YarnAnswersAfterTwoFailures_ItsAnswerIsTheEvidence()
    {
        await using var bed = await LivyTestbed.StartAsync(clientOptions: o => o with { MaxRetries = 1 });
        // Each GET of the verifier is two requests (the client retries once): two GETs fail.
        bed.Server.Faults.AnswerRequests("GET", Yarn, 503, times: 4);
        var clock = new PauseRecordingClock();
        using var log = new StringWriter();
        var verifier = new OutcomeVerifier(clock, log, TimeSpan.FromSeconds(30));

        var asking = verifier.YarnAsync(bed.Clients.Yarn("yarn_default"), "application_1_0001", "tag", Token);
        var pauses = await clock.AdvanceThroughPausesAsync(asking);
        var evidence = await asking;

        Assert.Equal([1, 2], pauses.Select(p => p.TotalSeconds));
        Assert.Equal(Verdict.Failed, evidence.Verdict);
        Assert.Equal("application application_1_0001 is unknown to the ResourceManager (404)", evidence.Said);
    }

    [Fact]
    public async Task YarnRefusesTheRequest_NotAskedAgain_Unknown()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Server.Faults.AnswerRequests("GET", Yarn, 403);
        var clock = new PauseRecordingClock();
        using var log = new StringWriter();
        var verifier = new OutcomeVerifier(clock, log, TimeSpan.FromSeconds(30));

        var evidence = await verifier.YarnAsync(bed.Clients.Yarn("yarn_default"), "application_1_0001", "tag", Token);

        Assert.Equal(Verdict.Unknown, evidence.Verdict);
        Assert.StartsWith("could not be asked for 1 s: ", evidence.Said, StringComparison.Ordinal);
        Assert.DoesNotContain("asking again", log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A fake clock that tells each pause (a timer with a due time) as it is set.</summary>
    private sealed class PauseRecordingClock : FakeTimeProvider
    {
        private readonly Channel<TimeSpan> _pauses = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            // The timer exists before it is told, so advancing the clock always fires it.
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
                _pauses.Writer.TryWrite(dueTime);
            return timer;
        }

        /// <summary>Advances the clock by each pause until <paramref name="work"/> ends; the pauses, in order.</summary>
        public async Task<List<TimeSpan>> AdvanceThroughPausesAsync(Task work)
        {
            var pauses = new List<TimeSpan>();
            while (true)
            {
                var next = _pauses.Reader.ReadAsync(Token).AsTask();
                if (await Task.WhenAny(work, next) == work)
                    return pauses;
                var pause = await next;
                pauses.Add(pause);
                Advance(pause);
            }
        }
    }
}
