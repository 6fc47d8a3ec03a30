using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using DagRunner.Sdk;

namespace DagRunner.Engine.Definitions;

/// <summary>One task of a <see cref="DagDefinition"/>.</summary>
public sealed record TaskDefinition
{
    /// <summary>The task's id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The operator type's name, e.g. <c>LivyBatchOperator</c>.</summary>
    public required string Operator { get; init; }

    /// <summary>The line where the task is added to its DAG (in <see cref="SourceFile"/> when set).</summary>
    public int Line { get; init; }

    /// <summary>The <c>#load</c>ed file the task is added in, when it is not the DAG's file.</summary>
    public string? SourceFile { get; init; }

    /// <summary>The settings in force, after the DAG's defaults and built-in defaults are applied.</summary>
    public required TaskPolicy Policy { get; init; }

    /// <summary>The ids of the tasks this task runs after.</summary>
    public ImmutableArray<string> Upstream { get; init; } = [];

    /// <summary>The ids of the tasks that run after this one.</summary>
    public ImmutableArray<string> Downstream { get; init; } = [];

    /// <summary>The task's own parameters as JSON values.</summary>
    public ImmutableSortedDictionary<string, JsonElement> Params { get; init; } = ImmutableSortedDictionary<string, JsonElement>.Empty;

    /// <summary>The operator's own fields (file, args, command, statements, ...) as JSON values.</summary>
    public ImmutableSortedDictionary<string, JsonElement> Fields { get; init; } = ImmutableSortedDictionary<string, JsonElement>.Empty;

    /// <summary>
    /// The task object the DAG file built, which carries what JSON cannot (a C# delegate).
    /// Present on definitions that come from a loaded file; absent after a JSON round trip.
    /// </summary>
    [JsonIgnore]
    public DagTask? Instance { get; init; }
}
