using System.Collections.Immutable;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Scheduling;
using DagRunner.Sdk;

namespace DagRunner.Scripting.Definitions;

/// <summary>
/// Turns the <see cref="Dag"/> objects a file built into immutable definitions, checking what
/// only the whole graph shows: schedules, edges to tasks outside the DAG, cycles, statement
/// files, and values that cannot be stored. Every problem is an import error at a file and line.
/// Templates are checked by the host's <paramref name="templateCheck"/> (<see cref="ScriptingOptions.TemplateCheck"/>).
/// </summary>
internal sealed class DefinitionBuilder(Func<DagTask, IEnumerable<string>>? templateCheck)
{
    public (IReadOnlyList<DagDefinition> Definitions, IReadOnlyList<ImportError> Errors) Build(string dagFile, IReadOnlyList<Dag> dags)
    {
        var definitions = new List<DagDefinition>();
        var errors = new List<ImportError>();
        var seen = new Dictionary<string, Dag>(StringComparer.Ordinal);
        foreach (var dag in dags)
        {
            if (seen.TryGetValue(dag.DagId, out var first))
            {
                errors.Add(Error(dagFile, dag.Source, "DAG001", $"DAG id '{dag.DagId}' is used twice in this file (first at line {first.Source.Line})."));
                continue;
            }

            seen.Add(dag.DagId, dag);
            var before = errors.Count;
            var definition = BuildDag(dagFile, dag, errors);
            if (errors.Count == before && definition is not null)
            {
                definitions.Add(definition);
            }
        }

        return (definitions, errors);
    }

    private DagDefinition? BuildDag(string dagFile, Dag dag, List<ImportError> errors)
    {
        if (dag.Schedule is { } schedule && !ScheduleExpression.TryParse(schedule, out _, out var scheduleError))
        {
            errors.Add(Error(dagFile, dag.Source, "DAG002", $"DAG '{dag.DagId}': {scheduleError}"));
        }

        if (!TimeZones.TryFind(dag.TimeZone, out _))
        {
            errors.Add(Error(dagFile, dag.Source, "DAG002", $"DAG '{dag.DagId}': unknown time zone '{dag.TimeZone}'; use an IANA id such as UTC or Europe/Paris."));
        }

        if (dag.MaxActiveRuns < 1 || dag.MaxActiveTasks < 1)
        {
            errors.Add(Error(dagFile, dag.Source, "DAG003", $"DAG '{dag.DagId}': MaxActiveRuns and MaxActiveTasks must be at least 1."));
        }

        if (dag.StartDate is { } start && dag.EndDate is { } end && end < start)
        {
            errors.Add(Error(dagFile, dag.Source, "DAG003", $"DAG '{dag.DagId}': EndDate {end:O} is before StartDate {start:O}."));
        }

        CheckEdges(dagFile, dag, errors);
        var order = GraphOrder.Sort(dag.Tasks, out var cycle);
        if (cycle is not null)
        {
            var path = string.Join(" -> ", cycle.Select(t => t.TaskId));
            errors.Add(Error(dagFile, cycle[0].Source, "DAG005", $"DAG '{dag.DagId}' has a cycle: {path}."));
            return null;
        }

        var tasks = ImmutableArray.CreateBuilder<TaskDefinition>(order.Count);
        foreach (var task in order)
        {
            CheckStatements(dagFile, task, errors);
            tasks.Add(new TaskDefinition
            {
                TaskId = task.TaskId,
                Operator = task.OperatorName,
                Line = task.Source.Line,
                SourceFile = OtherFile(dagFile, task.Source),
                Policy = TaskPolicy.Resolve(task, dag.Defaults),
                Upstream = [.. task.Upstream.Select(t => t.TaskId)],
                Downstream = [.. task.Downstream.Select(t => t.TaskId)],
                Params = ToJson(dagFile, task.Source, $"task '{task.TaskId}' param", task.Params, errors),
                Fields = OperatorFields.Read(task, (name, ex) =>
                    errors.Add(Error(dagFile, task.Source, "DAG007", $"Task '{task.TaskId}': field {name} cannot be stored as JSON: {ex.Message}"))),
                Instance = task,
            });
        }

        return new DagDefinition
        {
            DagId = dag.DagId,
            File = dagFile,
            Line = dag.Source.Line,
            SourceFile = OtherFile(dagFile, dag.Source),
            Description = dag.Description,
            Schedule = dag.Schedule,
            TimeZone = dag.TimeZone,
            StartDate = dag.StartDate,
            EndDate = dag.EndDate,
            Catchup = dag.Catchup,
            MaxActiveRuns = dag.MaxActiveRuns,
            MaxActiveTasks = dag.MaxActiveTasks,
            Tags = [.. dag.Tags],
            Params = ToJson(dagFile, dag.Source, $"DAG '{dag.DagId}' param", dag.Params, errors),
            Tasks = tasks.MoveToImmutable(),
        };
    }

    private static void CheckEdges(string dagFile, Dag dag, List<ImportError> errors)
    {
        foreach (var task in dag.Tasks)
        {
            foreach (var other in task.Upstream.Concat(task.Downstream))
            {
                if (other.Dag is null)
                {
                    errors.Add(Error(dagFile, task.Source, "DAG004",
                        $"Task '{task.TaskId}' of DAG '{dag.DagId}' depends on task '{other.TaskId}', which was never added to a DAG (use dag.Add)."));
                }
                else if (!ReferenceEquals(other.Dag, dag))
                {
                    errors.Add(Error(dagFile, task.Source, "DAG004",
                        $"Task '{task.TaskId}' of DAG '{dag.DagId}' depends on task '{other.TaskId}' of DAG '{other.Dag.DagId}'; dependencies cannot cross DAGs."));
                }
            }
        }
    }

    // A template that does not parse, names something undefined, or a statement file that is missing
    // would fail every run: each is an import error that names the template's file and line.
    private void CheckStatements(string dagFile, DagTask task, List<ImportError> errors)
    {
        if (templateCheck is null)
            return;
        foreach (var problem in templateCheck(task))
            errors.Add(Error(dagFile, task.Source, "DAG006", $"Task '{task.TaskId}': {problem}"));
    }

    private static ImmutableSortedDictionary<string, JsonElement> ToJson(
        string dagFile, SourceLocation source, string what, IDictionary<string, object?> values, List<ImportError> errors)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            try
            {
                builder[key] = value is null
                    ? JsonSerializer.SerializeToElement<object?>(null, DefinitionJson.Options)
                    : JsonSerializer.SerializeToElement(value, value.GetType(), CollectibleTypes.OptionsFor(value.GetType(), DefinitionJson.Options));
            }
            catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
            {
                errors.Add(Error(dagFile, source, "DAG007", $"The {what} '{key}' cannot be stored as JSON: {ex.Message}"));
            }
        }

        return builder.ToImmutable();
    }

    private static string? OtherFile(string dagFile, SourceLocation source) =>
        string.IsNullOrEmpty(source.File) || source.File == dagFile ? null : source.File;

    private static ImportError Error(string dagFile, SourceLocation source, string code, string message) => new()
    {
        File = dagFile,
        SourceFile = OtherFile(dagFile, source),
        Line = source.Line,
        Column = source.Line > 0 ? 1 : 0,
        Code = code,
        Message = message,
        SourceText = Loading.ScriptFailure.ReadLine(string.IsNullOrEmpty(source.File) ? dagFile : source.File, source.Line),
    };
}
