using System.Collections.Immutable;
using DagRunner.Engine.Runs;

namespace DagRunner.Hosting.Runs;

/// <summary>A run as a front end shows it: the run and each of its task instances.</summary>
/// <param name="Run">The run.</param>
/// <param name="Tasks">Its task instances, in the order they started (those not started last, by id).</param>
public sealed record RunView(DagRun Run, ImmutableArray<TaskView> Tasks);

/// <summary>A task instance as a front end shows it.</summary>
/// <param name="Task">The task instance: state, tries, times, error, log file.</param>
/// <param name="Remote">The remote job its operator recorded for the latest attempt (a Livy batch's or
/// session's handle), or <see langword="null"/>; serializable as it is.</param>
/// <param name="RemoteSummary">The remote job in a few words, or <c>-</c>.</param>
/// <param name="Attempts">Each finished attempt, with the fields it was rendered with.</param>
public sealed record TaskView(TaskInstance Task, object? Remote, string RemoteSummary, ImmutableArray<TaskAttempt> Attempts);

/// <summary>The result of asking for a run of a DAG.</summary>
/// <param name="View">The run, or <see langword="null"/> when there is no such run.</param>
/// <param name="DagHasRuns">Whether the DAG has any run at all (to tell "no runs" from "not that date").</param>
public sealed record RunViewResult(RunView? View, bool DagHasRuns);

/// <summary>A run that is queued or running, with its task instances counted by state.</summary>
/// <param name="Run">The run.</param>
/// <param name="Done">Tasks that succeeded or were skipped.</param>
/// <param name="Running">Tasks queued, running or waiting for a retry.</param>
/// <param name="Failed">Tasks that failed or whose upstream failed.</param>
/// <param name="Total">All of the run's tasks.</param>
public sealed record ActiveRunView(DagRun Run, int Done, int Running, int Failed, int Total);
