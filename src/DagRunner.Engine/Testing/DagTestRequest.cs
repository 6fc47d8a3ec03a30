using System.Collections.Immutable;
using System.Text.Json;

namespace DagRunner.Engine.Testing;

/// <summary>One test run of a DAG: its logical date and the conf it is triggered with.</summary>
public sealed record DagTestRequest
{
    /// <summary>The run's logical date.</summary>
    public required DateTimeOffset LogicalDate { get; init; }

    /// <summary>The run's conf, a JSON object's members.</summary>
    public ImmutableSortedDictionary<string, JsonElement> Conf { get; init; } = ImmutableSortedDictionary<string, JsonElement>.Empty;

    /// <summary>The run id: <c>manual__&lt;logical date&gt;</c>, as Airflow names manual runs.</summary>
    public string RunId => $"manual__{LogicalDate.UtcDateTime:yyyy-MM-ddTHH:mm:ss}+00:00";
}
