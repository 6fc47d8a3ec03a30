using System.Globalization;
using DagRunner.Templating.Literals;
using DagRunner.Templating.Rendering;
using Scriban.Runtime;

namespace DagRunner.Templating;

/// <summary>
/// The variables of one task attempt, built once and shared by every field and statement it renders,
/// with the language <c>lit</c> writes by default.
/// </summary>
public sealed class TemplateScope
{
    /// <summary>The names every template can use, besides Scriban's built-in functions.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "ds", "ds_nodash", "ts", "ts_nodash", "logical_date", "data_interval_start", "data_interval_end",
        "run_id", "dag_id", "task_id", "try_number", "params", "dag_run", "outputs", "lit",
    ];

    private TemplateScope(ScriptObject globals, LiteralLanguage language, TemplateValues values)
    {
        Globals = globals;
        Language = language;
        Values = values;
    }

    /// <summary>The language <c>lit</c> writes when no language is named.</summary>
    public LiteralLanguage Language { get; }

    /// <summary>The values the scope was built from.</summary>
    public TemplateValues Values { get; }

    internal ScriptObject Globals { get; }

    /// <summary>Builds the scope of an attempt.</summary>
    public static TemplateScope Create(TemplateValues values, LiteralLanguage language)
    {
        ArgumentNullException.ThrowIfNull(values);
        var globals = new ScriptObject
        {
            ["ds"] = values.LogicalDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["ds_nodash"] = values.LogicalDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            ["ts"] = values.LogicalDate.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["ts_nodash"] = values.LogicalDate.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture),
            ["logical_date"] = values.LogicalDate,
            ["data_interval_start"] = values.DataIntervalStart,
            ["data_interval_end"] = values.DataIntervalEnd,
            ["run_id"] = values.RunId,
            ["dag_id"] = values.DagId,
            ["task_id"] = values.TaskId,
            ["try_number"] = values.TryNumber,
            ["params"] = ScriptValues.ToScript(values.Params),
            ["dag_run"] = new ScriptObject
            {
                ["conf"] = ScriptValues.ToScript(values.Conf),
                ["run_id"] = values.RunId,
                ["logical_date"] = values.LogicalDate,
            },
            ["outputs"] = Outputs(values),
        };
        globals.Import(typeof(LitFunction));
        // Shared by every field and statement of the attempt: no render may change what the next one sees.
        return new TemplateScope(ReadOnly.Freeze(globals), language, values);
    }

    private static ScriptObject Outputs(TemplateValues values)
    {
        var outputs = ScriptValues.ToScript(values.Outputs);
        foreach (var taskId in values.PendingOutputs)
            outputs[taskId] = new Placeholder($"outputs.{taskId}");
        return outputs;
    }

    /// <summary>The same variables, with <c>lit</c> writing <paramref name="language"/> by default.</summary>
    public TemplateScope WithLanguage(LiteralLanguage language) =>
        language == Language ? this : new TemplateScope(Globals, language, Values);
}
