using System.Collections;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Scriban.Runtime;

namespace DagRunner.Templating.Rendering;

/// <summary>Turns parameters, conf and outputs (JSON elements, dictionaries, lists) into Scriban objects,
/// so that <c>params.a.b</c> and <c>outputs.extract.app_id</c> reach into them.</summary>
internal static class ScriptValues
{
    public static ScriptObject ToScript(IEnumerable<KeyValuePair<string, object?>> values)
    {
        var result = new ScriptObject();
        foreach (var (key, value) in values)
            result[key] = ToScript(value, 0);
        return result;
    }

    private static object? ToScript(object? value, int depth)
    {
        if (depth > 64)
            return value;
        return value switch
        {
            null or string or bool or int or long or double or decimal or DateTimeOffset or DateTime or DateOnly => value,
            JsonElement json => FromJson(json, depth),
            IEnumerable<KeyValuePair<string, object?>> map => Map(map, depth),
            IDictionary map => Map(map.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", e.Value)), depth),
            IEnumerable items and not ScriptObject => List(items.Cast<object?>(), depth),
            _ => value,
        };
    }

    private static ScriptObject Map(IEnumerable<KeyValuePair<string, object?>> values, int depth)
    {
        var result = new ScriptObject();
        foreach (var (key, value) in values)
            result[key] = ToScript(value, depth + 1);
        return result;
    }

    // Read-only: Scriban does not stop `x[0] = 1` on a read-only ScriptArray, and these lists are
    // shared by every render of the attempt.
    private static ReadOnlyCollection<object?> List(IEnumerable<object?> items, int depth) =>
        new([.. items.Select(item => ToScript(item, depth + 1))]);

    private static object? FromJson(JsonElement json, int depth) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => json.TryGetInt32(out var i) ? i
            : json.TryGetInt64(out var l) ? l
            : BigInteger.TryParse(json.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) ? big
            : json.GetDouble(),
        JsonValueKind.Array => List(json.EnumerateArray().Select(e => (object?)e), depth),
        JsonValueKind.Object => Map(json.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)), depth),
        _ => null,
    };
}
