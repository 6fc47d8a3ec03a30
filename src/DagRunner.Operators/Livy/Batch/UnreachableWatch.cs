using DagRunner.Clients.Http;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>How long a source has been unreachable while a job is followed. Failures within the
/// timeout are waited out; past it the failure says which wait ran out, after how long, and why.</summary>
internal sealed class UnreachableWatch(TimeProvider time, TimeSpan timeout, string option)
{
    private long? _since;

    /// <summary>The source answered: the next failure starts the clock again.</summary>
    public void Reached() => _since = null;

    /// <summary>Records a failure; throws once the source has been unreachable for the whole timeout.</summary>
    /// <param name="error">The last failure (a remote client's, or EMR's), quoted in the message.</param>
    /// <param name="subject">What could not be reached, e.g. <c>Livy at http://livy:8998/</c>.</param>
    /// <param name="activity">What it was asked for, e.g. <c>while following batch 3</c>.</param>
    public void Failed(Exception error, string subject, string activity)
    {
        _since ??= time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_since.Value);
        if (elapsed >= timeout)
        {
            throw new RemoteApiException(
                $"{subject} could not be reached for {RestTransport.Seconds(Round(elapsed))} {activity} ({option} is {RestTransport.Seconds(timeout)}): {error.Message}",
                (error as RemoteApiException)?.Status, (error as RemoteApiException)?.Detail, error);
        }
    }

    private static TimeSpan Round(TimeSpan elapsed) => TimeSpan.FromSeconds(Math.Round(elapsed.TotalSeconds, 1));
}
