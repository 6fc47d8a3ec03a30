using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace DagRunner.Templating.Literals;

/// <summary>
/// Sorts a value into the kinds every language has (null, boolean, integer, float, decimal, string,
/// date, timestamp, list, map) and lets each language write its own literal of each kind.
/// </summary>
internal abstract class LiteralWriter
{
    public string Write(object? value)
    {
        var builder = new StringBuilder();
        Append(builder, value, depth: 0);
        return builder.ToString();
    }

    protected abstract string Language { get; }

    protected abstract void AppendNull(StringBuilder builder);

    protected abstract void AppendBoolean(StringBuilder builder, bool value);

    protected abstract void AppendInteger(StringBuilder builder, BigInteger value);

    protected abstract void AppendFloat(StringBuilder builder, double value);

    protected abstract void AppendDecimal(StringBuilder builder, decimal value);

    protected abstract void AppendString(StringBuilder builder, string value);

    protected abstract void AppendDate(StringBuilder builder, DateOnly value);

    protected abstract void AppendTimestamp(StringBuilder builder, DateTimeOffset value);

    protected abstract void AppendList(StringBuilder builder, IReadOnlyList<object?> items, int depth);

    protected abstract void AppendMap(StringBuilder builder, IReadOnlyList<KeyValuePair<string, object?>> entries, int depth);

    /// <summary><c>[a, b]</c>: a list as Python and JSON write it.</summary>
    protected void AppendSquareList(StringBuilder builder, IReadOnlyList<object?> items, int depth)
    {
        builder.Append('[');
        AppendAll(builder, items, item => Append(builder, item, depth + 1));
        builder.Append(']');
    }

    /// <summary><c>{"k": v}</c>: a map as Python and JSON write it, each key a string of the language.</summary>
    protected void AppendCurlyMap(StringBuilder builder, IReadOnlyList<KeyValuePair<string, object?>> entries, int depth)
    {
        builder.Append('{');
        AppendAll(builder, entries, entry =>
        {
            AppendString(builder, entry.Key);
            builder.Append(": ");
            Append(builder, entry.Value, depth + 1);
        });
        builder.Append('}');
    }

    protected void Append(StringBuilder builder, object? value, int depth)
    {
        // Deep enough for any real parameter, shallow enough to stop a list that contains itself.
        if (depth > 64)
            throw new LiteralException($"lit: the value is nested more than 64 levels deep (does it contain itself?).");
        switch (value)
        {
            case null:
                AppendNull(builder);
                break;
            case bool b:
                AppendBoolean(builder, b);
                break;
            case string s:
                AppendString(builder, s);
                break;
            case char c:
                AppendString(builder, c.ToString());
                break;
            case sbyte or byte or short or ushort or int or uint or long or ulong or BigInteger:
                AppendInteger(builder, value is BigInteger big ? big : new BigInteger(Convert.ToDecimal(value, CultureInfo.InvariantCulture)));
                break;
            case float f:
                AppendFloat(builder, f);
                break;
            case double d:
                AppendFloat(builder, d);
                break;
            case decimal m:
                AppendDecimal(builder, m);
                break;
            case DateOnly date:
                AppendDate(builder, date);
                break;
            case DateTime time:
                AppendTimestamp(builder, time.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(time, TimeSpan.Zero) : new DateTimeOffset(time));
                break;
            case DateTimeOffset offset:
                AppendTimestamp(builder, offset);
                break;
            case JsonElement json:
                Append(builder, FromJson(json), depth);
                break;
            case IDictionary<string, object?> map:
                AppendMap(builder, [.. map], depth);
                break;
            case IReadOnlyDictionary<string, object?> map:
                AppendMap(builder, [.. map], depth);
                break;
            case IDictionary map:
                AppendMap(builder, Entries(map), depth);
                break;
            case IEnumerable items:
                AppendList(builder, [.. items.Cast<object?>()], depth);
                break;
            default:
                throw new LiteralException($"lit: a value of type {value.GetType().Name} has no {Language} literal; pass a string, number, boolean, date, list or map.");
        }
    }

    /// <summary>Appends each item with <paramref name="append"/>, separated by <c>, </c>.</summary>
    protected static void AppendAll<T>(StringBuilder builder, IReadOnlyList<T> items, Action<T> append)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
                builder.Append(", ");
            append(items[i]);
        }
    }

    protected static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The shortest text that reads back as the same double, always with a point or an exponent.</summary>
    protected static string FloatText(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>A decimal with all its digits, e.g. <c>1.50</c>.</summary>
    protected static string DecimalText(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether a character must be written as an escape rather than as itself: controls,
    /// invisible format characters, line and paragraph separators, and a lone half of a surrogate pair.</summary>
    protected static bool NeedsEscape(string text, int index, out bool lonelySurrogate)
    {
        var c = text[index];
        lonelySurrogate = false;
        if (char.IsHighSurrogate(c))
        {
            lonelySurrogate = index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1]);
            return lonelySurrogate;
        }

        if (char.IsLowSurrogate(c))
        {
            lonelySurrogate = index == 0 || !char.IsHighSurrogate(text[index - 1]);
            return lonelySurrogate;
        }

        return char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    // A generic dictionary enumerates KeyValuePair<K, V> through IEnumerable, not DictionaryEntry:
    // only the IDictionaryEnumerator gives every IDictionary's entries alike.
    private static List<KeyValuePair<string, object?>> Entries(IDictionary map)
    {
        var entries = new List<KeyValuePair<string, object?>>(map.Count);
        var enumerator = map.GetEnumerator();
        while (enumerator.MoveNext())
            entries.Add(new(KeyText(enumerator.Key), enumerator.Value));
        return entries;
    }

    private static string KeyText(object key) => key as string
        ?? throw new LiteralException($"lit: map keys must be strings, not {key.GetType().Name}.");

    /// <summary>The value with a JSON element turned into the CLR value it stands for.</summary>
    protected static object? Plain(object? value) => value is JsonElement json ? FromJson(json) : value;

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Number => json.TryGetInt64(out var l) ? l
            : BigInteger.TryParse(json.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) ? big
            : json.GetDouble(),
        JsonValueKind.Array => json.EnumerateArray().Select(FromJson).ToList(),
        _ => json.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, FromJson(p.Value))).ToList() is var pairs
            ? new OrderedPairs(pairs)
            : null,
    };

    // A JSON object keeps its order (and its duplicate keys are the JSON's own business).
    private sealed class OrderedPairs(List<KeyValuePair<string, object?>> pairs) : IReadOnlyDictionary<string, object?>
    {
        public object? this[string key] => pairs.First(p => p.Key == key).Value;

        public IEnumerable<string> Keys => pairs.Select(p => p.Key);

        public IEnumerable<object?> Values => pairs.Select(p => p.Value);

        public int Count => pairs.Count;

        public bool ContainsKey(string key) => pairs.Exists(p => p.Key == key);

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => pairs.GetEnumerator();

        public bool TryGetValue(string key, out object? value)
        {
            var index = pairs.FindIndex(p => p.Key == key);
            value = index >= 0 ? pairs[index].Value : null;
            return index >= 0;
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
