namespace DagRunner.Templating.Literals;

/// <summary>
/// Writes a value as a literal of a language: the <c>lit</c> filter. Executing the literal in that
/// language gives back the value: a string with any quotes, backslashes, newlines or non-ASCII text,
/// a number, a boolean, null, a date, a list or a map.
/// </summary>
public static class Literal
{
    private static readonly LiteralWriter Python = new PythonLiteralWriter();
    private static readonly LiteralWriter Scala = new ScalaLiteralWriter();
    private static readonly LiteralWriter R = new RLiteralWriter();
    private static readonly LiteralWriter Sql = new SqlLiteralWriter();
    private static readonly LiteralWriter Json = new JsonLiteralWriter();

    /// <summary>The literal of <paramref name="value"/> in <paramref name="language"/>.</summary>
    /// <exception cref="LiteralException">The value has no literal in that language.</exception>
    public static string Write(object? value, LiteralLanguage language) => WriterFor(language).Write(value);

    /// <summary>
    /// Code that binds <c>params</c> to <paramref name="parameters"/> in <paramref name="language"/>
    /// (a dict in Python, a <c>Map</c> in Scala, a named list in R), ending with a newline; empty for
    /// Spark SQL, which has no variables a file could read.
    /// </summary>
    public static string Preamble(IReadOnlyDictionary<string, object?> parameters, LiteralLanguage language)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var map = parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return language switch
        {
            LiteralLanguage.Python => $"params = {Python.Write(map)}\n",
            LiteralLanguage.Scala => $"val params: Map[String, Any] = {Scala.Write(map)}\n",
            LiteralLanguage.R => $"params <- {R.Write(map)}\n",
            _ => string.Empty,
        };
    }

    private static LiteralWriter WriterFor(LiteralLanguage language) => language switch
    {
        LiteralLanguage.Python => Python,
        LiteralLanguage.Scala => Scala,
        LiteralLanguage.R => R,
        LiteralLanguage.SparkSql => Sql,
        LiteralLanguage.Json => Json,
        _ => throw new ArgumentOutOfRangeException(nameof(language), language, "Unknown literal language."),
    };
}
