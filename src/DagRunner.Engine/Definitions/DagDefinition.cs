using System.Collections.Immutable;
using System.Text.Json;

namespace DagRunner.Engine.Definitions;

/// <summary>
/// A DAG as compiled from its file: immutable, and round-trips through JSON (see
/// <see cref="DefinitionJson"/>). The scheduler, executor, CLI and UI work from these.
/// </summary>
public sealed record DagDefinition
{
    /// <summary>The DAG's id.</summary>
    public required string DagId { get; init; }

    /// <summary>The full path of the file that defines the DAG.</summary>
    public required string File { get; init; }

    /// <summary>The line where the DAG is created (in <see cref="SourceFile"/> when set).</summary>
    public int Line { get; init; }

    /// <summary>The <c>#load</c>ed file the DAG is created in, when it is not <see cref="File"/> itself.</summary>
    public string? SourceFile { get; init; }

    /// <summary>The file that <see cref="Line"/> refers to.</summary>
    public string LocationFile => SourceFile ?? File;

    /// <summary>A human description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>The schedule as written: cron, a preset, or <see langword="null"/> for manual only.</summary>
    public string? Schedule { get; init; }

    /// <summary>The IANA time zone the schedule is read in. Default: <c>UTC</c>.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The first logical date considered.</summary>
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>The last logical date considered.</summary>
    public DateTimeOffset? EndDate { get; init; }

    /// <summary>Whether missed intervals are run.</summary>
    public bool Catchup { get; init; }

    /// <summary>How many runs may be active at once.</summary>
    public int MaxActiveRuns { get; init; } = 16;

    /// <summary>How many tasks of one run may run at once.</summary>
    public int MaxActiveTasks { get; init; } = 16;

    /// <summary>Free-form tags.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>The DAG's parameters as JSON values.</summary>
    public ImmutableSortedDictionary<string, JsonElement> Params { get; init; } = ImmutableSortedDictionary<string, JsonElement>.Empty;

    /// <summary>The tasks in dependency order (every task after all of its upstream tasks), ties in the order they were added.</summary>
    public ImmutableArray<TaskDefinition> Tasks { get; init; } = [];

    /// <summary>The ids of every task that runs before <paramref name="taskId"/>, directly or not.</summary>
    public IReadOnlySet<string> AncestorsOf(string taskId)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([taskId]);
        while (pending.TryPop(out var id))
        {
            foreach (var upstream in FindTask(id)?.Upstream ?? [])
            {
                if (found.Add(upstream))
                    pending.Push(upstream);
            }
        }

        return found;
    }

    /// <summary>Finds a task by id, or returns <see langword="null"/>.</summary>
    public TaskDefinition? FindTask(string taskId) => Tasks.FirstOrDefault(t => t.TaskId == taskId);
}
