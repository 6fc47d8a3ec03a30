using System.Globalization;
using System.Text.Json;

namespace DagRunner.LocalLivy.Livy;

/// <summary>A request body read the way Livy's Jackson reads it: unknown fields and values of the
/// wrong type are refused with Jackson-style messages; scalars are coerced where Jackson coerces
/// them (a number where a string is expected, a numeric string where an int is); null means absent.</summary>
internal sealed class RequestFields
{
    private readonly Dictionary<string, JsonElement> _values;

    private RequestFields(Dictionary<string, JsonElement> values) => _values = values;

    /// <summary>Reads <paramref name="body"/> against <paramref name="fields"/>; on failure
    /// <paramref name="error"/> is the message Livy returns as a JSON string with status 400.</summary>
    public static RequestFields? Read(ReadOnlyMemory<byte> body, string javaClass, IReadOnlyDictionary<string, FieldType> fields, out string? error)
    {
        error = null;
        if (body.IsEmpty)
        {
            error = "No content to map due to end-of-input";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            error = $"Unexpected character in request body: {e.Message}";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"Cannot deserialize value of type `{javaClass}` from {Describe(root)}";
                return null;
            }

            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!fields.TryGetValue(property.Name, out var type))
                {
                    var known = string.Join(", ", fields.Keys.Order(StringComparer.Ordinal).Select(name => $"\"{name}\""));
                    error = $"Unrecognized field \"{property.Name}\" (class {javaClass}), not marked as ignorable ({fields.Count} known properties: {known}])";
                    return null;
                }

                if (property.Value.ValueKind == JsonValueKind.Null)
                    continue;
                if (Check(property.Value, type) is { } problem)
                {
                    error = $"{problem} (through reference chain: {javaClass}[\"{property.Name}\"])";
                    return null;
                }

                // A process argument, a path or an environment value ends at its first NUL: the job
                // would run with a value other than the one asked for, so it is refused instead.
                if (WithNul(property.Name, property.Value) is { } where)
                {
                    error = $"{where} contains a NUL character (\\u0000), which no argument, path or setting can carry " +
                        $"(through reference chain: {javaClass}[\"{property.Name}\"])";
                    return null;
                }

                values[property.Name] = property.Value.Clone();
            }

            return new RequestFields(values);
        }
    }

    public string? String(string name) => _values.TryGetValue(name, out var value) ? Scalar(value) : null;

    public int Int(string name) =>
        _values.TryGetValue(name, out var value)
            ? value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString()!, CultureInfo.InvariantCulture)
            : 0;

    public IReadOnlyList<string> StringList(string name) =>
        _values.TryGetValue(name, out var value) ? [.. value.EnumerateArray().Select(Scalar)] : [];

    public IReadOnlyDictionary<string, string> StringMap(string name) =>
        _values.TryGetValue(name, out var value)
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => Scalar(p.Value), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    private static string? Check(JsonElement value, FieldType type) => type switch
    {
        FieldType.String => IsScalar(value) ? null : Mismatch("java.lang.String", value),
        FieldType.Int => IsInt(value) ? null : Mismatch("int", value),
        FieldType.StringList => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(IsScalar)
            ? null
            : Mismatch("scala.collection.immutable.List<java.lang.String>", value),
        FieldType.StringMap => value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => IsScalar(p.Value))
            ? null
            : Mismatch("scala.collection.immutable.Map<java.lang.String,java.lang.String>", value),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    // The field (and the item or key within it) whose text holds a NUL, or null.
    private static string? WithNul(string name, JsonElement value)
    {
        static bool Has(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return Has(value.GetString()) ? $"Field \"{name}\"" : null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String && Has(item.GetString()))
                        return $"Field \"{name}\" item {index}";
                    index++;
                }

                return null;
            case JsonValueKind.Object:
                foreach (var entry in value.EnumerateObject())
                {
                    if (Has(entry.Name))
                        return $"Field \"{name}\" key \"{entry.Name.Replace("\0", "\\u0000", StringComparison.Ordinal)}\"";
                    if (entry.Value.ValueKind == JsonValueKind.String && Has(entry.Value.GetString()))
                        return $"Field \"{name}\" entry \"{entry.Name}\"";
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsScalar(JsonElement value) =>
        value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static bool IsInt(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt32(out _),
        JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        _ => false,
    };

    private static string Mismatch(string javaType, JsonElement value) =>
        $"Cannot deserialize value of type `{javaType}` from {Describe(value)}";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"String \"{value.GetString()}\"",
        JsonValueKind.Number => $"Number {value.GetRawText()}",
        JsonValueKind.Array => "Array value (token `JsonToken.START_ARRAY`)",
        JsonValueKind.Object => "Object value (token `JsonToken.START_OBJECT`)",
        JsonValueKind.True or JsonValueKind.False => $"Boolean value ({value.GetRawText()})",
        _ => value.ValueKind.ToString(),
    };

    private static string Scalar(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
