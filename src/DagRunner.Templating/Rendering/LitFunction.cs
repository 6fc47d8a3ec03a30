using DagRunner.Templating.Literals;
using Scriban;

namespace DagRunner.Templating.Rendering;

/// <summary>The <c>lit</c> filter: <c>{{ params.customer | lit }}</c> in the statement's language, or
/// <c>{{ value | lit "sql" }}</c> in a named one (<c>python</c>, <c>scala</c>, <c>r</c>, <c>sql</c>, <c>json</c>).</summary>
internal static class LitFunction
{
    public static string Lit(TemplateContext context, object? value, string? language = null)
    {
        var target = language is null
            ? (context as RenderContext)?.LiteralLanguage ?? LiteralLanguage.Python
            : language.ToUpperInvariant() switch
            {
                "PYTHON" or "PYSPARK" => LiteralLanguage.Python,
                "SCALA" or "SPARK" => LiteralLanguage.Scala,
                "R" or "SPARKR" => LiteralLanguage.R,
                "SQL" => LiteralLanguage.SparkSql,
                "JSON" => LiteralLanguage.Json,
                _ => throw new LiteralException($"lit: unknown language '{language}'; use python, scala, r, sql or json."),
            };
        return Literal.Write(value is Placeholder placeholder ? placeholder.Text : value, target);
    }
}
