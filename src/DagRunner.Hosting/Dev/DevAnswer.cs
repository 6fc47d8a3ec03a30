using System.Collections.Immutable;
using DagRunner.Engine.Definitions;

namespace DagRunner.Hosting.Dev;

/// <summary>What one save did, as <see cref="DevLoop"/> found it: the front end words and shows it.</summary>
public sealed record DevAnswer
{
    /// <summary>The saved paths worth naming (those still there, and DAG files that went away); all the changed ones when none is.</summary>
    public required IReadOnlyList<string> Saved { get; init; }

    /// <summary>The import errors after the save.</summary>
    public required ImmutableArray<ImportError> Errors { get; init; }

    /// <summary>Whether there were import errors before the save.</summary>
    public required bool HadErrors { get; init; }

    /// <summary>Files that had import errors before the save and have none now (and still exist).</summary>
    public required IReadOnlyList<string> Fixed { get; init; }

    /// <summary>What the save did to the DAG definitions, a line each (see <c>DefinitionDiff</c>).</summary>
    public required IReadOnlyList<string> Changes { get; init; }

    /// <summary>The statements whose rendered code changed, as diffs, and render errors.</summary>
    public required IReadOnlyList<string> Previews { get; init; }

    /// <summary>The DAG files that had to run for this load.</summary>
    public required IReadOnlyList<string> Ran { get; init; }

    /// <summary>How many DAG files the load looked at.</summary>
    public required int Files { get; init; }

    /// <summary>How long the answer took.</summary>
    public required TimeSpan Elapsed { get; init; }
}
