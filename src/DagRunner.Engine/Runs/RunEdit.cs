using System.Collections.Immutable;

namespace DagRunner.Engine.Runs;

/// <summary>How a change made by hand (clear, mark) ended.</summary>
public enum RunEditOutcome
{
    /// <summary>The change was written, with its events.</summary>
    Done,

    /// <summary>The run, or a task the change names, does not exist: nothing was written.</summary>
    NotFound,

    /// <summary>The store's rules refused the change (a live runner holds the run): nothing was written.</summary>
    Refused,
}

/// <summary>
/// The result of a change made by hand through <see cref="RunEditor"/>: what was changed, or why nothing
/// was. Errors are data here: every front end shows <see cref="Message"/> as it is.
/// </summary>
public sealed record RunEdit
{
    /// <summary>How it ended.</summary>
    public required RunEditOutcome Outcome { get; init; }

    /// <summary>What was done, or why not, in sentences a person reads.</summary>
    public required string Message { get; init; }

    /// <summary>The run after the change (null when it was not found).</summary>
    public DagRun? Run { get; init; }

    /// <summary>The tasks whose state changed, in the DAG's order.</summary>
    public ImmutableArray<string> Changed { get; init; } = [];

    /// <summary>The runner holding the run when the change was refused, as the store names it.</summary>
    public string? Holder { get; init; }

    internal static RunEdit NotFound(string message, DagRun? run = null) => new() { Outcome = RunEditOutcome.NotFound, Message = message, Run = run };
}
