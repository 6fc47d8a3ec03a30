using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using DagRunner.Engine.Definitions;

namespace DagRunner.Hosting.Dags;

/// <summary>The result of looking up a task of a DAG that was found.</summary>
public sealed record TaskLookup
{
    /// <summary>The DAG the task was looked up in.</summary>
    public required DagDefinition Dag { get; init; }

    /// <summary>The id that was looked up.</summary>
    public required string TaskId { get; init; }

    /// <summary>The task, or <see langword="null"/> when the DAG has none of that id.</summary>
    public TaskDefinition? Task { get; init; }

    /// <summary>The DAG's task ids, in its order.</summary>
    public ImmutableArray<string> KnownTaskIds { get; init; } = [];

    /// <summary>Whether the task was found.</summary>
    [MemberNotNullWhen(true, nameof(Task))]
    public bool Found => Task is not null;
}
