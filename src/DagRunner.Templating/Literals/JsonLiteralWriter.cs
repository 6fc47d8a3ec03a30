using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DagRunner.Templating.Literals;

/// <summary>JSON literals (RFC 8259), for JSON documents such as an EMR cluster template. Dates and timestamps are
/// ISO 8601 strings; NaN and infinities have no JSON form and are refused.</summary>
internal sealed class JsonLiteralWriter : LiteralWriter
{
    protected override string Language => "JSON";

    protected override void AppendNull(StringBuilder builder) => builder.Append("null");

    protected override void AppendBoolean(StringBuilder builder, bool value) => builder.Append(value ? "true" : "false");

    protected override void AppendInteger(StringBuilder builder, BigInteger value) => builder.Append(value.ToString(CultureInfo.InvariantCulture));

    protected override void AppendFloat(StringBuilder builder, double value) => builder.Append(
        double.IsFinite(value) ? FloatText(value) : throw new LiteralException($"lit: {value.ToString(CultureInfo.InvariantCulture)} has no JSON literal."));

    protected override void AppendDecimal(StringBuilder builder, decimal value) => builder.Append(DecimalText(value));

    // JSON's own escapes only (quotes, backslashes, control characters): a JSON document is not HTML, so '+', '<' or
    // non-ASCII text stay as written (the default encoder would write a timestamp's '+' as \u002B).
    private static readonly JsonSerializerOptions JsonEscapesOnly = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    protected override void AppendString(StringBuilder builder, string value) => builder.Append(JsonSerializer.Serialize(value, JsonEscapesOnly));

    protected override void AppendDate(StringBuilder builder, DateOnly value) =>
        AppendString(builder, value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    protected override void AppendTimestamp(StringBuilder builder, DateTimeOffset value) =>
        AppendString(builder, value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));

    protected override void AppendList(StringBuilder builder, IReadOnlyList<object?> items, int depth) => AppendSquareList(builder, items, depth);

    protected override void AppendMap(StringBuilder builder, IReadOnlyList<KeyValuePair<string, object?>> entries, int depth) => AppendCurlyMap(builder, entries, depth);
}
