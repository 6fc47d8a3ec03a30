namespace DagRunner.LocalLivy.Http;

/// <summary>The server's own time per request (from the first middleware to the end of the
/// handler, without injected latency), kept per route for the last <see cref="Capacity"/> requests.
/// The benchmark reads it to report overhead apart from the network and the client. Measured on the
/// server's <see cref="LocalLivyOptions.TimeProvider"/>.</summary>
internal sealed class RequestTimings
{
    public const int Capacity = 200_000;

    private readonly Lock _lock = new();
    private readonly Queue<(string Route, long Ticks)> _samples = new();

    public void Add(string route, TimeSpan elapsed)
    {
        lock (_lock)
        {
            if (_samples.Count == Capacity)
                _samples.Dequeue();
            _samples.Enqueue((route, elapsed.Ticks));
        }
    }

    public void Clear()
    {
        lock (_lock)
            _samples.Clear();
    }

    /// <summary>Count and percentiles in milliseconds per route.</summary>
    public IReadOnlyDictionary<string, RouteTiming> Summary()
    {
        List<(string Route, long Ticks)> samples;
        lock (_lock)
            samples = [.. _samples];
        return samples.GroupBy(s => s.Route, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g =>
            {
                var sorted = g.Select(s => (double)s.Ticks / TimeSpan.TicksPerMillisecond).Order().ToArray();
                double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
                return new RouteTiming(sorted.Length, At(0.5), At(0.99), sorted[^1]);
            },
            StringComparer.Ordinal);
    }
}

/// <summary>Server time for one route: request count, median, 99th percentile and maximum, in ms.</summary>
public sealed record RouteTiming(int Count, double P50, double P99, double Max);
