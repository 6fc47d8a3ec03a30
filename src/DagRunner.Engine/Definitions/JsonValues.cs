using System.Text.Json;

namespace DagRunner.Engine.Definitions;

/// <summary>Turns stored JSON values back into plain .NET values for task code and templates.</summary>
internal static class JsonValues
{
    /// <summary>
    /// string, long or double, bool, null, <see cref="List{T}"/> of values, or a
    /// <see cref="Dictionary{TKey,TValue}"/> of string to value.
    /// </summary>
    public static object? ToPlain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value), StringComparer.Ordinal),
        _ => null,
    };

    /// <summary>Overlays dictionaries of JSON values in order: later ones win, key by key.</summary>
    public static Dictionary<string, object?> Overlay(params IEnumerable<IEnumerable<KeyValuePair<string, JsonElement>>> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var (key, value) in layer)
            {
                merged[key] = ToPlain(value);
            }
        }

        return merged;
    }

    /// <summary>A JSON value as short text, for tables.</summary>
    public static string Describe(JsonElement element) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString() ?? string.Empty
            : element.GetRawText();
}
