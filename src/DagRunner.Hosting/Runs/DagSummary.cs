using System.Collections.Immutable;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;

namespace DagRunner.Hosting.Runs;

/// <summary>One DAG as a list of DAGs shows it.</summary>
/// <param name="Dag">The DAG as loaded (its description passed the masker).</param>
/// <param name="Paused">Whether the scheduler leaves it alone.</param>
/// <param name="ScheduleWords">Its schedule in words ("every day at 02:00 UTC").</param>
/// <param name="NextRun">When its schedule next fires, or null (manual only, finished).</param>
/// <param name="RecentRuns">Its latest runs, newest first, each without its conf (<c>{}</c>): a list of DAGs shows a run as a mark.</param>
public sealed record DagSummary(DagDefinition Dag, bool Paused, string ScheduleWords, DateTimeOffset? NextRun, ImmutableArray<DagRun> RecentRuns);
