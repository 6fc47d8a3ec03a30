using System.Collections.Immutable;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;
using DagRunner.Hosting.Dags;

namespace DagRunner.Hosting.Runs;

// The DAGs page's read: every DAG's latest runs in one store query, whatever the number of DAGs.
public sealed partial class RunReadModel
{
    /// <summary>Every DAG of <paramref name="loaded"/> with its pause state, schedule in words, next run
    /// after <paramref name="now"/> and latest <paramref name="runsPerDag"/> runs (without their conf); and the import errors.
    /// Two store queries in all (the paused DAGs, the runs).</summary>
    public async Task<DagsOverview> DagsOverviewAsync(LoadedDags loaded, int runsPerDag, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var paused = await store.PausedAsync(cancellationToken).ConfigureAwait(false);
        var runs = await store.LatestRunsOfEveryDagAsync(runsPerDag, cancellationToken).ConfigureAwait(false);
        var byDag = runs.GroupBy(r => r.DagId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var dags = ImmutableArray.CreateBuilder<DagSummary>(loaded.Definitions.Length);
        foreach (var dag in loaded.Definitions)
        {
            var recent = byDag.TryGetValue(dag.DagId, out var found) ? [.. found.Select(WithoutConf)] : ImmutableArray<DagRun>.Empty;
            dags.Add(new DagSummary(
                dag.Description is { } description ? dag with { Description = secrets.Mask(description) } : dag,
                paused.Contains(dag.DagId),
                ScheduleWords.Describe(dag.Schedule, dag.TimeZone),
                NextRun.For(dag, now),
                recent));
        }

        var errors = loaded.Errors.Select(e => e with
        {
            Message = secrets.Mask(e.Message) ?? e.Message,
            SourceText = secrets.Mask(e.SourceText),
            Detail = secrets.Mask(e.Detail),
        });
        return new DagsOverview(dags.MoveToImmutable(), [.. errors]);
    }

    // A list of DAGs shows a run as a mark (state, id, date), never its conf: masking two thousand
    // confs (parse, learn, hide) was most of the page's allocations.
    private static DagRun WithoutConf(DagRun run) => run with { Conf = EmptyConf };

    private const string EmptyConf = "{}";
}
