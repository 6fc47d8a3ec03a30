using System.Collections.Immutable;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Sdk;

namespace DagRunner.Engine.Execution;

/// <summary>The context an operator gets for one attempt: built in one place, for runs and previews alike.</summary>
public static class TaskContexts
{
    /// <summary>The context of attempt <paramref name="tryNumber"/> of <paramref name="task"/> in <paramref name="run"/>; its secret
    /// parameters and conf entries are registered in <paramref name="secrets"/> (null: a masker of the context's own); its
    /// checkpoint keeps handles in <paramref name="checkpoints"/> (null: in memory, for a preview).</summary>
    public static TaskContext For(
        DagDefinition dag,
        TaskDefinition task,
        DagRun run,
        int tryNumber,
        IReadOnlyDictionary<string, object?> upstreamOutputs,
        TextWriter log,
        IServiceProvider? services,
        CheckpointStore? checkpoints,
        SecretMasker? secrets,
        Action<string>? onRendered,
        CancellationToken cancellationToken,
        CancellationToken detachToken = default)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(run);
        var conf = ConfOf(run.Conf);
        var parameters = JsonValues.Overlay(dag.Params, task.Params, conf);
        var confValues = JsonValues.Overlay(conf);
        // Registered before the task starts: whatever it prints or throws is masked from its first line.
        secrets ??= new SecretMasker();
        secrets.AddSecretsOf(parameters, confValues);
        return new TaskContext
        {
            DagId = dag.DagId,
            TaskId = task.TaskId,
            RunId = run.RunId,
            LogicalDate = run.LogicalDate,
            DataIntervalStart = run.DataIntervalStart,
            DataIntervalEnd = run.DataIntervalEnd,
            TryNumber = tryNumber,
            Params = parameters,
            Conf = confValues,
            Secrets = secrets,
            Outputs = upstreamOutputs,
            Log = log,
            Services = services,
            Checkpoint = (checkpoints ?? CheckpointStore.InMemory()).For(dag.DagId, run.RunId, task.TaskId, tryNumber),
            CancellationToken = cancellationToken,
            DetachToken = detachToken,
            OnRendered = onRendered,
        };
    }

    /// <summary>A run's conf (a JSON object) as its members.</summary>
    public static ImmutableSortedDictionary<string, JsonElement> ConfOf(string conf)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(conf) ? "{}" : conf);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : ImmutableSortedDictionary<string, JsonElement>.Empty;
    }
}
