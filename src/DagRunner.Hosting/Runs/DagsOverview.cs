using System.Collections.Immutable;
using DagRunner.Engine.Definitions;

namespace DagRunner.Hosting.Runs;

/// <summary>Every DAG of the folder with its state and latest runs, and the import errors of the files
/// that did not load (their text masked): what a DAGs page shows.</summary>
/// <param name="Dags">The DAGs, by id.</param>
/// <param name="ImportErrors">The import errors, by file and line.</param>
public sealed record DagsOverview(ImmutableArray<DagSummary> Dags, ImmutableArray<ImportError> ImportErrors)
{
    /// <summary>Every tag of every DAG, once, in order.</summary>
    public ImmutableArray<string> Tags => [.. Dags.SelectMany(d => d.Dag.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The DAGs tagged <paramref name="tag"/> (any when null or empty) whose id, description or
    /// a tag holds <paramref name="text"/> (case ignored; any when null or empty).</summary>
    public IEnumerable<DagSummary> Matching(string? tag, string? text)
    {
        var wanted = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        return Dags.Where(d =>
            (string.IsNullOrEmpty(tag) || d.Dag.Tags.Contains(tag, StringComparer.Ordinal))
            && (wanted is null
                || d.Dag.DagId.Contains(wanted, StringComparison.OrdinalIgnoreCase)
                || (d.Dag.Description?.Contains(wanted, StringComparison.OrdinalIgnoreCase) ?? false)
                || d.Dag.Tags.Any(t => t.Contains(wanted, StringComparison.OrdinalIgnoreCase))));
    }
}
