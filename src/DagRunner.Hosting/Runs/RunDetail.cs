using System.Collections.Immutable;
using DagRunner.Engine.Runs;

namespace DagRunner.Hosting.Runs;

/// <summary>One run and its task instances, as a run's page shows them.</summary>
/// <param name="Run">The run, conf masked.</param>
/// <param name="Tasks">Its task instances in the DAG's dependency order (tasks the DAG no longer has last).</param>
public sealed record RunDetail(DagRun Run, ImmutableArray<TaskInstance> Tasks);
