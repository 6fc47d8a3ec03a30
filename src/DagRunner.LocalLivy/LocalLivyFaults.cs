namespace DagRunner.LocalLivy;

/// <summary>Faults on demand for tests and demos. Thread-safe to change while the server runs.</summary>
public sealed class LocalLivyFaults
{
    private volatile Settings _settings = new(TimeSpan.Zero, 0);

    /// <summary>Delay added before every answer. Default none.</summary>
    public TimeSpan Latency
    {
        get => _settings.Latency;
        set => _settings = _settings with { Latency = value };
    }

    /// <summary>Share of requests (0 to 1) answered with a 500 before they reach a handler, the way
    /// a Livy under load or mid-restart answers. Default 0.</summary>
    public double ServerErrorRate
    {
        get => _settings.ServerErrorRate;
        set => _settings = _settings with { ServerErrorRate = value };
    }

    internal (TimeSpan Latency, double ServerErrorRate) Current
    {
        get
        {
            var settings = _settings;
            return (settings.Latency, settings.ServerErrorRate);
        }
    }

    internal void Validate()
    {
        var (latency, rate) = Current;
        if (latency < TimeSpan.Zero)
            throw new ArgumentException("Fault latency must not be negative.");
        if (rate is < 0 or > 1 || double.IsNaN(rate))
            throw new ArgumentException($"Fault server error rate must be between 0 and 1 (got {rate}).");
    }

    private sealed record Settings(TimeSpan Latency, double ServerErrorRate);
}
