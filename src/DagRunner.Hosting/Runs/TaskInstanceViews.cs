using System.Collections.Immutable;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;

namespace DagRunner.Hosting.Runs;

/// <summary>A task instance as its page shows it: the run (conf masked), the instance, and every attempt.</summary>
/// <param name="Run">The run, its conf's secrets hidden.</param>
/// <param name="Task">The task instance (state, latest try, times, error).</param>
/// <param name="Attempts">Attempts 1 to the latest, the running one included, oldest first.</param>
/// <param name="Output">The task's output as JSON, masked; null when it has none.</param>
public sealed record TaskInstanceView(DagRun Run, TaskInstance Task, ImmutableArray<AttemptView> Attempts, string? Output);

/// <summary>One attempt of a task instance.</summary>
/// <param name="TryNumber">Its number, from 1.</param>
/// <param name="State">How it ended, or the instance's state while it is the latest and not over.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndedAt">When it ended; null while it runs.</param>
/// <param name="Error">Why it failed, masked.</param>
/// <param name="LogFile">Its log file (read through <see cref="TaskLogReader"/>); null when unknown.</param>
/// <param name="Over">Whether it ended (a recorded attempt, or the latest in a final state).</param>
/// <param name="Fields">The templated fields it ran with, rendered, masked.</param>
/// <param name="Statements">The session statements it sent, as sent (masked where they held a secret).</param>
/// <param name="Remote">The remote job its operator recorded, or null.</param>
public sealed record AttemptView(
    int TryNumber,
    TaskState State,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Error,
    string? LogFile,
    bool Over,
    ImmutableArray<RenderedFieldView> Fields,
    ImmutableArray<RenderedStatementView> Statements,
    RemoteJobView? Remote)
{
    /// <summary>How long it ran (until now while it runs, given <paramref name="now"/>).</summary>
    public TimeSpan? Duration(DateTimeOffset now) => StartedAt is { } start ? (EndedAt ?? (Over ? null : now)) - start : null;
}

/// <summary>A rendered templated field: its name and its value as text (a list or map as JSON).</summary>
public sealed record RenderedFieldView(string Name, string Value);

/// <summary>A session statement as it was sent to Livy.</summary>
/// <param name="Number">Its number, from 1.</param>
/// <param name="Origin">The template or file it came from, or <c>inline</c>.</param>
/// <param name="Kind">Its language (<c>PySpark</c>, <c>Spark</c>, <c>Sql</c>, ...).</param>
/// <param name="Code">The code, exactly as sent.</param>
/// <param name="Output">Its output as Livy gave it, once it finished (from the session's handle).</param>
public sealed record RenderedStatementView(int Number, string Origin, string Kind, string Code, string? Output);

/// <summary>A remote job (a Livy batch or session) as the evidence panel shows it.</summary>
/// <param name="Kind"><c>livy_batch</c> or <c>livy_session</c>.</param>
/// <param name="Id">Livy's id of the batch or session.</param>
/// <param name="Name">Its name in Livy.</param>
/// <param name="AppId">The YARN application id, when known.</param>
/// <param name="LivyState">The final state Livy gave, when known.</param>
/// <param name="Verdict"><c>succeeded</c>, <c>failed</c> or <c>unknown</c> once weighed; null before.</param>
/// <param name="Evidence">What each source said, in the order asked.</param>
/// <param name="Links">Links to the Livy, YARN and Spark UIs (never with credentials).</param>
/// <param name="Summary">The job in a few words.</param>
public sealed record RemoteJobView(
    string Kind,
    string Id,
    string? Name,
    string? AppId,
    string? LivyState,
    string? Verdict,
    ImmutableArray<EvidenceView> Evidence,
    ImmutableArray<RemoteLink> Links,
    string Summary);

/// <summary>What one source said about how a remote job ended.</summary>
/// <param name="Source"><c>Livy</c>, <c>YARN</c> or <c>Spark</c>.</param>
/// <param name="Verdict"><c>succeeded</c>, <c>failed</c> or <c>unknown</c>.</param>
/// <param name="Said">Its words (masked).</param>
public sealed record EvidenceView(string Source, string Verdict, string Said);

/// <summary>A link to a UI of the cluster.</summary>
/// <param name="Source"><c>Livy</c>, <c>YARN</c> or <c>Spark</c>.</param>
/// <param name="Title">What it opens, e.g. <c>Livy batch 7</c>.</param>
/// <param name="Url">The address, without credentials.</param>
public sealed record RemoteLink(string Source, string Title, string Url);
