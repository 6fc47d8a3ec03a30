using DagRunner.Clients.Emr;
using DagRunner.Clients.Http;

namespace DagRunner.Operators.Emr;

/// <summary>A call that creates something (<c>RunJobFlow</c>, <c>AddJobFlowSteps</c>) is never repeated by the client;
/// one AWS throttled was refused before anything was created, so it is sent again here after a pause.</summary>
internal static class EmrThrottled
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)];

    public static async Task<T> SendAsync<T>(string operation, Func<Task<T>> call, TextWriter log, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var throttled = 0; ; throttled++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (EmrException e) when (e.IsThrottled && throttled < Pauses.Length)
            {
                log.WriteLine($"EMR throttled {operation} ({e.ErrorCode ?? "429"}), so nothing was created: sending it again in {RestTransport.Seconds(Pauses[throttled])}.");
                await Task.Delay(Pauses[throttled], time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>An EMR error a sensor's poke may see again and again without it meaning "no": throttling, a server
    /// error, no answer. As a remote error the sensor loop says so and pokes again; any other ends the task.</summary>
    public static Exception ForSensor(EmrException e) =>
        // Throttling comes as a 400 with a throttling code; as a 429 the sensor loop does not take it for a bad request.
        e.IsThrottled || e.CouldNotBeAsked ? new RemoteApiException(e.Message, e.IsThrottled ? 429 : e.Status, null, e) : e;
}
