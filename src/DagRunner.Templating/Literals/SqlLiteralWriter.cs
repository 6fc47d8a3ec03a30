using System.Globalization;
using System.Numerics;
using System.Text;

namespace DagRunner.Templating.Literals;

/// <summary>
/// Spark SQL literals, for the default <c>spark.sql.parser.escapedStringLiterals=false</c>, where a
/// backslash in a string starts an escape. Strings use single quotes.
/// </summary>
internal sealed class SqlLiteralWriter : LiteralWriter
{
    protected override string Language => "Spark SQL";

    protected override void AppendNull(StringBuilder builder) => builder.Append("NULL");

    protected override void AppendBoolean(StringBuilder builder, bool value) => builder.Append(value ? "true" : "false");

    protected override void AppendInteger(StringBuilder builder, BigInteger value)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        if (value >= int.MinValue && value <= int.MaxValue)
            builder.Append(digits);
        else if (value >= long.MinValue && value <= long.MaxValue)
            builder.Append(digits).Append('L');
        else if (digits.TrimStart('-').Length <= 38)
            builder.Append(digits).Append("BD");
        else
            throw new LiteralException($"lit: {digits} has more than 38 digits, more than a Spark SQL decimal holds.");
    }

    protected override void AppendFloat(StringBuilder builder, double value) => builder.Append(
        double.IsNaN(value) ? "CAST('NaN' AS DOUBLE)"
        : double.IsPositiveInfinity(value) ? "CAST('Infinity' AS DOUBLE)"
        : double.IsNegativeInfinity(value) ? "CAST('-Infinity' AS DOUBLE)"
        : FloatText(value) + "D");

    protected override void AppendDecimal(StringBuilder builder, decimal value) => builder.Append(DecimalText(value)).Append("BD");

    protected override void AppendDate(StringBuilder builder, DateOnly value) =>
        builder.Append("DATE '").Append(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\'');

    protected override void AppendTimestamp(StringBuilder builder, DateTimeOffset value) =>
        builder.Append("TIMESTAMP '").Append(value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'))
            .Append("Z'");

    protected override void AppendString(StringBuilder builder, string value)
    {
        builder.Append('\'');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\'': builder.Append(@"\'"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;

                // Spark substitutes ${name} and ${env:NAME} in the statement's text before it parses
                // it (spark.sql.variable.substitute, on by default), inside string literals too.
                case '$' when i + 1 < value.Length && value[i + 1] == '{': builder.Append(@"\u0024"); break;
                default:
                    builder.Append(NeedsEscape(value, i, out _) ? Invariant($"\\u{(int)c:X4}") : c.ToString());
                    break;
            }
        }

        builder.Append('\'');
    }

    protected override void AppendList(StringBuilder builder, IReadOnlyList<object?> items, int depth)
    {
        builder.Append("array(");
        AppendAll(builder, items, item => Append(builder, item, depth + 1));

        builder.Append(')');
    }

    protected override void AppendMap(StringBuilder builder, IReadOnlyList<KeyValuePair<string, object?>> entries, int depth)
    {
        builder.Append("map(");
        AppendAll(builder, entries, entry =>
        {
            AppendString(builder, entry.Key);
            builder.Append(", ");
            Append(builder, entry.Value, depth + 1);
        });

        builder.Append(')');
    }
}
