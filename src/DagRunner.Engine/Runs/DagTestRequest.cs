using System.Collections.Immutable;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Sdk;

namespace DagRunner.Engine.Runs;

/// <summary>One test run of a DAG: its logical date and the conf it is triggered with.</summary>
public sealed record DagTestRequest
{
    /// <summary>The run's logical date.</summary>
    public required DateTimeOffset LogicalDate { get; init; }

    /// <summary>The run's conf, a JSON object's members.</summary>
    public ImmutableSortedDictionary<string, JsonElement> Conf { get; init; } = ImmutableSortedDictionary<string, JsonElement>.Empty;

    /// <summary>The run id's prefix. Default: <c>manual</c>.</summary>
    public string RunIdPrefix { get; init; } = "manual";

    /// <summary>The run id: <c>manual__&lt;logical date&gt;</c>, as Airflow names manual runs.</summary>
    public string RunId => $"{RunIdPrefix}__{LogicalDate.UtcDateTime:yyyy-MM-ddTHH:mm:ss}+00:00";

    /// <summary>The context of one attempt of <paramref name="task"/> in this run: what the runner gives
    /// the operator, and what <c>tasks render</c> renders against, so a preview is what runs.</summary>
    public TaskContext ContextFor(
        DagDefinition dag,
        TaskDefinition task,
        int tryNumber,
        IReadOnlyDictionary<string, object?> upstreamOutputs,
        TextWriter log,
        IServiceProvider? services,
        CancellationToken cancellationToken) =>
        TaskContexts.For(dag, task, Run(dag.DagId, DateTimeOffset.UnixEpoch), tryNumber, upstreamOutputs, log, services, checkpoints: null, secrets: null, onRendered: null, cancellationToken);

    /// <summary>The run this request describes: a manual run (<c>dags trigger</c>) or, by default, a test run.</summary>
    public DagRun Run(string dagId, DateTimeOffset queuedAt, RunType type = RunType.Test) => new()
    {
        DagId = dagId,
        RunId = RunId,
        RunType = type,
        LogicalDate = LogicalDate,
        DataIntervalStart = LogicalDate,
        DataIntervalEnd = LogicalDate,
        Conf = JsonSerializer.Serialize(Conf),
        QueuedAt = queuedAt,
    };
}
