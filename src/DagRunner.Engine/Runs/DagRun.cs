using System.Globalization;

namespace DagRunner.Engine.Runs;

/// <summary>One run of a DAG, as the run store keeps it.</summary>
public sealed record DagRun
{
    /// <summary>The DAG's id.</summary>
    public required string DagId { get; init; }

    /// <summary>The run's id, e.g. <c>manual__2026-11-20T00:00:00+00:00</c>.</summary>
    public required string RunId { get; init; }

    /// <summary>What created the run.</summary>
    public RunType RunType { get; init; } = RunType.Manual;

    /// <summary>The logical date.</summary>
    public required DateTimeOffset LogicalDate { get; init; }

    /// <summary>The start of the data interval.</summary>
    public required DateTimeOffset DataIntervalStart { get; init; }

    /// <summary>The end of the data interval.</summary>
    public required DateTimeOffset DataIntervalEnd { get; init; }

    /// <summary>The run's state.</summary>
    public DagRunState State { get; init; } = DagRunState.Queued;

    /// <summary>The JSON object the run was triggered with.</summary>
    public string Conf { get; init; } = "{}";

    /// <summary>When the run was created.</summary>
    public required DateTimeOffset QueuedAt { get; init; }

    /// <summary>When its first task started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it reached a final state.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The run id Airflow would give: <c>&lt;type&gt;__&lt;logical date&gt;</c>.</summary>
    public static string IdFor(RunType type, DateTimeOffset logicalDate) =>
        string.Create(CultureInfo.InvariantCulture, $"{type.ToString().ToLowerInvariant()}__{logicalDate.UtcDateTime:yyyy-MM-ddTHH:mm:ss}+00:00");
}
