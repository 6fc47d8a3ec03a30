using System.Text.Json;
using DagRunner.Engine.Runs;
using DagRunner.Web.Pages.Shared;

namespace DagRunner.Web.Pages.Dags;

/// <summary>How the grid and the run page write a run in words: its tooltip, its conf.</summary>
internal static class RunText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A run column's tooltip: id, type and state, logical date, data interval, conf (already masked).</summary>
    public static string Title(DagRun run) =>
        $"{run.RunId}\n{Show.Snake(run.RunType.ToString())} run, {Show.Snake(run.State.ToString())}\n"
        + $"logical date: {Show.Time(run.LogicalDate)} UTC\n"
        + $"data interval: {Show.Time(run.DataIntervalStart)} to {Show.Time(run.DataIntervalEnd)} UTC\n"
        + $"conf: {run.Conf}";

    /// <summary>The conf (already masked) indented, or as stored when it is not JSON.</summary>
    public static string Conf(string conf)
    {
        try
        {
            using var document = JsonDocument.Parse(conf);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return conf;
        }
    }

    /// <summary>How long a task or run took (so far, when it still runs: left empty).</summary>
    public static string Took(DateTimeOffset? started, DateTimeOffset? ended) =>
        started is { } from && ended is { } to ? Show.Duration(to - from) : "";
}
