using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DagRunner.Sdk;

/// <summary>Finding secrets by name in parameters and conf, and masking them inside JSON documents.</summary>
internal static partial class SecretJson
{
    // Deeper nesting than this is not looked into: a cyclic or absurd structure must not hang the runner.
    private const int MaxDepth = 16;

    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    public static void Collect(IEnumerable<KeyValuePair<string, object?>> values, List<string> secrets, int depth, bool secret = false)
    {
        if (depth > MaxDepth)
            return;
        foreach (var (key, value) in values)
            CollectNested(value, secrets, depth + 1, secret || IsSecretName(key));
    }

    /// <summary>Every string (and property name) of the document masked, re-serialized: valid JSON whatever the
    /// secrets hold. The document comes back as it was when none of its strings holds a secret.</summary>
    public static string MaskStrings(string json, SecretMasker masker)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return masker.Mask(json);
        }

        var masking = new Masking(masker);
        var masked = masking.Masked(root, 0);
        return masking.Changed ? masked?.ToJsonString() ?? "null" : json;
    }

    private sealed class Masking(SecretMasker masker)
    {
        public bool Changed { get; private set; }

        public JsonNode? Masked(JsonNode? node, int depth) => node switch
        {
            JsonObject map => new JsonObject(map.Select(p => KeyValuePair.Create(Mask(p.Key), depth > MaxDepth * 4 ? null : Masked(p.Value, depth + 1)))),
            JsonArray list => new JsonArray([.. list.Select(item => depth > MaxDepth * 4 ? null : Masked(item, depth + 1))]),
            JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(Mask(value.GetValue<string>())),
            null => null,
            _ => node.DeepClone(),
        };

        private string Mask(string text)
        {
            var masked = masker.Mask(text);
            if (!ReferenceEquals(masked, text) && masked != text)
                Changed = true;
            return masked;
        }
    }

    // Secrets sit in maps, and in maps inside lists (`params.databases[0].password`); under a secret
    // name (`credentials`), every value inside is secret.
    private static void CollectNested(object? value, List<string> secrets, int depth, bool secret)
    {
        if (depth > MaxDepth)
            return;
        switch (value)
        {
            case IEnumerable<KeyValuePair<string, object?>> map:
                Collect(map, secrets, depth, secret);
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } json:
                Collect(json.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)), secrets, depth, secret);
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } json:
                foreach (var item in json.EnumerateArray())
                    CollectNested(item, secrets, depth + 1, secret);
                break;
            case System.Collections.IEnumerable items and not string:
                foreach (var item in items)
                    CollectNested(item, secrets, depth + 1, secret);
                break;
            default:
                if (secret && Text(value) is { } text)
                    secrets.Add(text);
                break;
        }
    }

    private static string? Text(object? value) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString(),
        JsonElement { ValueKind: JsonValueKind.Number } json => json.GetRawText(),
        JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null } => null,
        null => null,
        _ => value.ToString(),
    };

    [GeneratedRegex("pass(word|wd)?|secret|token|api[_-]?key|credential|authorization|private[_-]?key", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
