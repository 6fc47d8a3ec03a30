namespace DagRunner.LocalLivy.Emr;

/// <summary>EMR faults on demand, each for the next N requests of one operation (its
/// <c>X-Amz-Target</c> name without the <c>ElasticMapReduce.</c> prefix). Counted, never timed, so a
/// test reads the same every run. Thread-safe to change while the server runs.</summary>
public sealed class EmrFaults
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Operation, EmrFault Fault), int> _left = [];

    /// <summary>Answers the next <paramref name="times"/> requests of <paramref name="operation"/> with
    /// a 400 <c>ThrottlingException</c> ("Rate exceeded") before they do anything.</summary>
    public void Throttle(string operation, int times = 1) => Add(operation, EmrFault.Throttle, times);

    /// <summary>Answers the next <paramref name="times"/> requests of <paramref name="operation"/> with
    /// a 500 <c>InternalServerError</c> before they do anything.</summary>
    public void FailWithServerError(string operation, int times = 1) => Add(operation, EmrFault.ServerError, times);

    /// <summary>Carries out the next <paramref name="times"/> requests of <paramref name="operation"/>
    /// and then drops the connection instead of answering: the step or cluster exists, and the client
    /// never learns its id (the case that makes a blind retry of <c>AddJobFlowSteps</c> run a step twice).</summary>
    public void DropAnswer(string operation, int times = 1) => Add(operation, EmrFault.DropAnswer, times);

    /// <summary>Removes every EMR fault.</summary>
    public void Clear()
    {
        lock (_lock)
            _left.Clear();
    }

    /// <summary>The fault this request of <paramref name="operation"/> gets (and uses up), throttling
    /// first, or <see cref="EmrFault.None"/>.</summary>
    internal EmrFault Take(string operation)
    {
        lock (_lock)
        {
            foreach (var fault in (ReadOnlySpan<EmrFault>)[EmrFault.Throttle, EmrFault.ServerError, EmrFault.DropAnswer])
            {
                if (_left.TryGetValue((operation, fault), out var left) && left > 0)
                {
                    _left[(operation, fault)] = left - 1;
                    return fault;
                }
            }
        }

        return EmrFault.None;
    }

    /// <summary>What is left of each fault, by kind and operation, for the admin endpoint.</summary>
    internal IReadOnlyDictionary<EmrFault, Dictionary<string, int>> Snapshot()
    {
        lock (_lock)
        {
            return _left.Where(pair => pair.Value > 0)
                .GroupBy(pair => pair.Key.Fault)
                .ToDictionary(group => group.Key, group => group.ToDictionary(pair => pair.Key.Operation, pair => pair.Value, StringComparer.Ordinal));
        }
    }

    /// <summary>Adds a fault by its name on the admin endpoint (<c>throttle</c>, <c>serverError</c>, <c>dropAnswer</c>).</summary>
    internal void Add(string kind, string operation, int times)
    {
        var fault = kind switch
        {
            "throttle" => EmrFault.Throttle,
            "serverError" => EmrFault.ServerError,
            "dropAnswer" => EmrFault.DropAnswer,
            _ => throw new ArgumentException($"Unknown EMR fault '{kind}' (throttle, serverError or dropAnswer)."),
        };
        Add(operation, fault, times);
    }

    /// <summary>The admin endpoint's name of a fault.</summary>
    internal static string Name(EmrFault fault) => fault switch
    {
        EmrFault.Throttle => "throttle",
        EmrFault.ServerError => "serverError",
        _ => "dropAnswer",
    };

    private void Add(string operation, EmrFault fault, int times)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        lock (_lock)
            _left[(operation, fault)] = _left.GetValueOrDefault((operation, fault)) + times;
    }
}

/// <summary>What <see cref="EmrFaults"/> does to one request.</summary>
internal enum EmrFault
{
    None,
    Throttle,
    ServerError,
    DropAnswer,
}
