using System.Globalization;
using System.Numerics;
using System.Text;

namespace DagRunner.Templating.Literals;

/// <summary>
/// Scala literals that mean the same in Scala 2.12, 2.13 and 3. A character with no safe escape is
/// concatenated as <c>0x1.toChar</c>: Scala 2.12 turns a <c>\u0001</c> escape into the raw character
/// before it reads the string, which breaks the literal for a newline or a quote.
/// </summary>
internal sealed class ScalaLiteralWriter : LiteralWriter
{
    protected override string Language => "Scala";

    protected override void AppendNull(StringBuilder builder) => builder.Append("null");

    protected override void AppendBoolean(StringBuilder builder, bool value) => builder.Append(value ? "true" : "false");

    protected override void AppendInteger(StringBuilder builder, BigInteger value)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        _ = IntegerKind(value) switch
        {
            "Int" => builder.Append(digits),
            "Long" => builder.Append(digits).Append('L'),
            _ => builder.Append("BigInt(\"").Append(digits).Append("\")"),
        };
    }

    protected override void AppendFloat(StringBuilder builder, double value) => builder.Append(
        double.IsNaN(value) ? "Double.NaN"
        : double.IsPositiveInfinity(value) ? "Double.PositiveInfinity"
        : double.IsNegativeInfinity(value) ? "Double.NegativeInfinity"
        : FloatText(value));

    protected override void AppendDecimal(StringBuilder builder, decimal value) =>
        builder.Append("BigDecimal(\"").Append(DecimalText(value)).Append("\")");

    protected override void AppendDate(StringBuilder builder, DateOnly value) =>
        builder.Append("java.time.LocalDate.parse(\"").Append(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("\")");

    protected override void AppendTimestamp(StringBuilder builder, DateTimeOffset value) =>
        builder.Append("java.time.OffsetDateTime.parse(\"")
            .Append(value.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture)).Append("\")");

    protected override void AppendString(StringBuilder builder, string value)
    {
        var pieces = new List<string>();
        var current = new StringBuilder("\"");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': current.Append(@"\\"); break;
                case '"': current.Append("\\\""); break;
                case '\n': current.Append(@"\n"); break;
                case '\r': current.Append(@"\r"); break;
                case '\t': current.Append(@"\t"); break;
                case '\b': current.Append(@"\b"); break;
                case '\f': current.Append(@"\f"); break;
                default:
                    if (NeedsEscape(value, i, out _))
                    {
                        pieces.Add(current.Append('"').ToString());
                        pieces.Add(Invariant($"0x{(int)c:X}.toChar"));
                        current.Clear().Append('"');
                    }
                    else
                    {
                        current.Append(c);
                    }

                    break;
            }
        }

        pieces.Add(current.Append('"').ToString());
        if (pieces.Count == 1)
        {
            builder.Append(pieces[0]);
            return;
        }

        // The first piece is a string, so `+` concatenates strings and characters alike.
        builder.Append('(').AppendJoin(" + ", pieces).Append(')');
    }

    protected override void AppendList(StringBuilder builder, IReadOnlyList<object?> items, int depth)
    {
        builder.Append(MixesNumbers(items) ? "Seq[Any](" : "Seq(");
        AppendAll(builder, items, item => Append(builder, item, depth + 1));

        builder.Append(')');
    }

    protected override void AppendMap(StringBuilder builder, IReadOnlyList<KeyValuePair<string, object?>> entries, int depth)
    {
        if (entries.Count == 0)
        {
            builder.Append("Map.empty[String, Any]");
            return;
        }

        builder.Append(MixesNumbers([.. entries.Select(e => e.Value)]) ? "Map[String, Any](" : "Map(");
        AppendAll(builder, entries, entry =>
        {
            AppendString(builder, entry.Key);
            builder.Append(" -> ");
            Append(builder, entry.Value, depth + 1);
        });

        builder.Append(')');
    }

    // Scala widens a collection of mixed numbers to one type (`Seq(1, 2.5)` is a Seq[Double], and a
    // long loses digits as a double); typing it `Any` keeps every value as written.
    private static bool MixesNumbers(IReadOnlyList<object?> items) =>
        items.Select(NumberKind).Where(kind => kind is not null).Distinct().Skip(1).Any();

    private static string? NumberKind(object? value) => Plain(value) switch
    {
        float or double => "Double",
        decimal => "BigDecimal",
        BigInteger big => IntegerKind(big),
        sbyte or byte or short or ushort or int or uint or long or ulong => IntegerKind(new BigInteger(Convert.ToDecimal(Plain(value), CultureInfo.InvariantCulture))),
        _ => null,
    };

    private static string IntegerKind(BigInteger value) =>
        value >= int.MinValue && value <= int.MaxValue ? "Int" : value >= long.MinValue && value <= long.MaxValue ? "Long" : "BigInt";
}
