using DagRunner.Clients.Http;
using DagRunner.Sdk;

namespace DagRunner.Operators.Sensors;

/// <summary>The poke loop every sensor shares: poke every <see cref="Sensor.PokeInterval"/> until the
/// condition holds or <see cref="Sensor.Timeout"/> has passed. A poke that fails with a remote error
/// (a 503, a timeout) is logged and tried again at the next interval: it is not a "no".</summary>
internal static class SensorLoop
{
    /// <summary>Pokes until <paramref name="poke"/> returns an output (the condition holds).</summary>
    public static async Task<object?> RunAsync(Sensor sensor, TaskContext context, TimeProvider time, string waitingFor, Func<CancellationToken, Task<object?>> poke, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await poke(cancellationToken).ConfigureAwait(false) is { } output)
                {
                    context.Log.WriteLine($"Poke {attempt}: {waitingFor}: yes.");
                    return output;
                }

                context.Log.WriteLine($"Poke {attempt}: {waitingFor}: not yet.");
            }
            catch (RemoteApiException e) when (e.Status is 400 or 401 or 403)
            {
                // Bad request, not authenticated, forbidden (or a standby NameNode): asking again
                // until the timeout would only hide it.
                throw new TaskFailedException($"Sensor '{sensor.TaskId}' cannot poke: {e.Message}", e);
            }
            catch (RemoteApiException e)
            {
                context.Log.WriteLine($"Poke {attempt}: could not tell ({e.Message}); trying again, this is not a no.");
            }

            var waited = time.GetElapsedTime(started);
            if (waited + sensor.PokeInterval > sensor.Timeout)
                throw new TaskFailedException($"Sensor '{sensor.TaskId}' gave up after {waited:g} (timeout {sensor.Timeout:g}) waiting for {waitingFor}.");
            await Task.Delay(sensor.PokeInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
