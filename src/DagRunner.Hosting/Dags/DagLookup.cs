using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using DagRunner.Engine.Definitions;

namespace DagRunner.Hosting.Dags;

/// <summary>How looking up a DAG by id ended.</summary>
public enum DagLookupOutcome
{
    /// <summary>The DAG loaded.</summary>
    Found,

    /// <summary>No DAG has that id, and every file loaded.</summary>
    NotFound,

    /// <summary>No loaded DAG has that id, and some files have import errors: one of them may define it.</summary>
    HiddenByImportErrors,
}

/// <summary>The result of looking up a DAG by id: the DAG, or what a front end needs to say why not.</summary>
public sealed record DagLookup
{
    /// <summary>The id that was looked up.</summary>
    public required string DagId { get; init; }

    /// <summary>The DAG, when <see cref="Outcome"/> is <see cref="DagLookupOutcome.Found"/>.</summary>
    public DagDefinition? Dag { get; init; }

    /// <summary>How the lookup ended.</summary>
    public required DagLookupOutcome Outcome { get; init; }

    /// <summary>The ids of the DAGs that did load (empty when found).</summary>
    public ImmutableArray<string> KnownDagIds { get; init; } = [];

    /// <summary>The import errors that may hide the DAG (empty unless <see cref="DagLookupOutcome.HiddenByImportErrors"/>).</summary>
    public ImmutableArray<ImportError> ImportErrors { get; init; } = [];

    /// <summary>Whether the DAG was found.</summary>
    [MemberNotNullWhen(true, nameof(Dag))]
    public bool Found => Dag is not null;

    /// <summary>How many DAG files have the import errors.</summary>
    public int FilesWithErrors => ImportErrors.Select(e => e.File).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Finds <paramref name="taskId"/> in the DAG found.</summary>
    public TaskLookup FindTask(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        if (Dag is null)
            throw new InvalidOperationException($"DAG '{DagId}' was not found: there is no task to look up.");
        return new TaskLookup
        {
            Dag = Dag,
            TaskId = taskId,
            Task = Dag.FindTask(taskId),
            KnownTaskIds = [.. Dag.Tasks.Select(t => t.TaskId)],
        };
    }
}
