using DagRunner.LocalLivy.Emr;

namespace DagRunner.LocalLivy;

/// <summary>Faults on demand for tests and demos. Thread-safe to change while the server runs.</summary>
public sealed class LocalLivyFaults
{
    private readonly Lock _rulesLock = new();
    private volatile Settings _settings = new(TimeSpan.Zero, 0);
    private List<PathRule> _rules = [];

    /// <summary>Faults of the EMR endpoint (throttling, server errors, dropped answers), by operation.</summary>
    public EmrFaults Emr { get; } = new();

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

    /// <summary>
    /// Answers <paramref name="status"/> instead of the handler to a share (<paramref name="rate"/>,
    /// drawn from a generator seeded with <paramref name="seed"/>, so a run is repeatable) of the
    /// <paramref name="method"/> requests to <paramref name="path"/> or below it (whole segments:
    /// <c>/batches/0</c> covers <c>/batches/0/log</c>, not <c>/batches/01</c>). A 503 is a source under
    /// load; a 404 on <c>/batches/{id}</c> is a Livy that forgot the batch while its app runs on.
    /// With <paramref name="times"/>, the rule stops after answering that many requests.
    /// </summary>
    public void AnswerRequests(string method, string path, int status, double rate = 1, int seed = 0, int? times = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (rate is < 0 or > 1 || double.IsNaN(rate))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The share of requests must be between 0 and 1.");
        if (status is < 400 or > 599)
            throw new ArgumentOutOfRangeException(nameof(status), status, "Only error statuses (4xx, 5xx) can be injected.");
        lock (_rulesLock)
            _rules = [.. _rules, new PathRule(method, path.TrimEnd('/'), status, rate, new Random(seed), times ?? int.MaxValue)];
    }

    /// <summary>Removes every rule added by <see cref="AnswerRequests"/>.</summary>
    public void ClearRequestRules()
    {
        lock (_rulesLock)
            _rules = [];
    }

    internal (TimeSpan Latency, double ServerErrorRate) Current
    {
        get
        {
            var settings = _settings;
            return (settings.Latency, settings.ServerErrorRate);
        }
    }

    /// <summary>The status a rule answers this request with, or null when no rule takes it.</summary>
    internal int? RuleStatus(string method, string path)
    {
        lock (_rulesLock)
        {
            foreach (var rule in _rules)
            {
                if (rule.Covers(method, path) && rule.Draw())
                    return rule.Status;
            }
        }

        return null;
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

    private sealed class PathRule(string method, string path, int status, double rate, Random random, int times)
    {
        private int _left = times;

        public int Status => status;

        public bool Covers(string requestMethod, string requestPath) =>
            _left > 0 && string.Equals(requestMethod, method, StringComparison.OrdinalIgnoreCase) &&
            (string.Equals(requestPath, path, StringComparison.Ordinal) || requestPath.StartsWith(path + "/", StringComparison.Ordinal));

        // Called under the faults' lock: Random is not thread-safe.
        public bool Draw()
        {
            if (rate < 1 && random.NextDouble() >= rate)
                return false;
            _left--;
            return true;
        }
    }
}
