using System.Globalization;
using System.Numerics;
using System.Text;

namespace DagRunner.Templating.Literals;

/// <summary>Python 3 literals. Dates and decimals are expressions that need no import statement.</summary>
internal sealed class PythonLiteralWriter : LiteralWriter
{
    protected override string Language => "Python";

    protected override void AppendNull(StringBuilder builder) => builder.Append("None");

    protected override void AppendBoolean(StringBuilder builder, bool value) => builder.Append(value ? "True" : "False");

    protected override void AppendInteger(StringBuilder builder, BigInteger value) => builder.Append(value.ToString(CultureInfo.InvariantCulture));

    protected override void AppendFloat(StringBuilder builder, double value) => builder.Append(
        double.IsNaN(value) ? "float('nan')"
        : double.IsPositiveInfinity(value) ? "float('inf')"
        : double.IsNegativeInfinity(value) ? "-float('inf')"
        : FloatText(value));

    protected override void AppendDecimal(StringBuilder builder, decimal value) =>
        builder.Append("__import__('decimal').Decimal('").Append(DecimalText(value)).Append("')");

    protected override void AppendDate(StringBuilder builder, DateOnly value) =>
        builder.Append(Invariant($"__import__('datetime').date({value.Year}, {value.Month}, {value.Day})"));

    protected override void AppendTimestamp(StringBuilder builder, DateTimeOffset value) =>
        builder.Append("__import__('datetime').datetime.fromisoformat('")
            .Append(value.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture)).Append("')");

    protected override void AppendString(StringBuilder builder, string value)
    {
        // As Python's repr does: single quotes unless the text holds one and no double quote.
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        builder.Append(quote);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                default:
                    if (c == quote)
                        builder.Append('\\').Append(c);
                    else if (NeedsEscape(value, i, out _))
                        builder.Append(c <= 0xFF ? Invariant($"\\x{(int)c:x2}") : Invariant($"\\u{(int)c:x4}"));
                    else
                        builder.Append(c);
                    break;
            }
        }

        builder.Append(quote);
    }

    protected override void AppendList(StringBuilder builder, IReadOnlyList<object?> items, int depth) => AppendSquareList(builder, items, depth);

    protected override void AppendMap(StringBuilder builder, IReadOnlyList<KeyValuePair<string, object?>> entries, int depth) => AppendCurlyMap(builder, entries, depth);
}
