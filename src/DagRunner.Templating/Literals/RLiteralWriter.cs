using System.Globalization;
using System.Numerics;
using System.Text;

namespace DagRunner.Templating.Literals;

/// <summary>
/// R literals. R strings are UTF-8 and cannot hold NUL or half a surrogate pair, so those are
/// refused; R has no 64-bit integer, so a whole number outside R's integer range is written as the
/// nearest double (exact up to 2^53), and one beyond the largest double is refused.
/// </summary>
internal sealed class RLiteralWriter : LiteralWriter
{
    protected override string Language => "R";

    protected override void AppendNull(StringBuilder builder) => builder.Append("NULL");

    protected override void AppendBoolean(StringBuilder builder, bool value) => builder.Append(value ? "TRUE" : "FALSE");

    // R's NA_integer_ is int.MinValue, so the integer range stops one short of it. Outside it the
    // double nearest the integer: parsing the digits rounds to nearest, where the (double) cast of a
    // BigInteger truncates (ulong.MaxValue would become 2^64 - 2048 instead of 2^64).
    protected override void AppendInteger(StringBuilder builder, BigInteger value)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        if (value > int.MinValue && value <= int.MaxValue)
        {
            builder.Append(digits).Append('L');
            return;
        }

        var nearest = double.Parse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (double.IsInfinity(nearest))
            throw new LiteralException($"lit: {digits} is too large for an R number (a double).");
        builder.Append(nearest.ToString("R", CultureInfo.InvariantCulture));
    }

    protected override void AppendFloat(StringBuilder builder, double value) => builder.Append(
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : FloatText(value));

    protected override void AppendDecimal(StringBuilder builder, decimal value) => builder.Append(DecimalText(value));

    protected override void AppendDate(StringBuilder builder, DateOnly value) =>
        builder.Append("as.Date(\"").Append(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("\")");

    protected override void AppendTimestamp(StringBuilder builder, DateTimeOffset value) =>
        builder.Append("as.POSIXct(\"").Append(value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'))
            .Append("\", tz = \"UTC\")");

    protected override void AppendString(StringBuilder builder, string value)
    {
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\0': throw new LiteralException("lit: an R string cannot hold a NUL character.");
                default:
                    if (NeedsEscape(value, i, out var lonely))
                    {
                        if (lonely)
                            throw new LiteralException(Invariant($"lit: an R string cannot hold a lone surrogate (U+{(int)c:X4})."));
                        // \x above 0x7F would be a raw byte, not a character, in a UTF-8 string.
                        builder.Append(c < 0x80 ? Invariant($"\\x{(int)c:x2}") : Invariant($"\\u{{{(int)c:x4}}}"));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    protected override void AppendList(StringBuilder builder, IReadOnlyList<object?> items, int depth)
    {
        builder.Append("list(");
        AppendAll(builder, items, item => Append(builder, item, depth + 1));

        builder.Append(')');
    }

    // setNames takes any key, where `list(key = value)` would need the key to be a valid name.
    protected override void AppendMap(StringBuilder builder, IReadOnlyList<KeyValuePair<string, object?>> entries, int depth)
    {
        if (entries.Count == 0)
        {
            builder.Append("setNames(list(), character(0))");
            return;
        }

        builder.Append("setNames(list(");
        AppendAll(builder, entries, entry => Append(builder, entry.Value, depth + 1));

        builder.Append("), c(");
        AppendAll(builder, entries, entry => AppendString(builder, entry.Key));

        builder.Append("))");
    }
}
