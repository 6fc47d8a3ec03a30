using System.Text.Json;
using System.Text.Json.Nodes;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Runs;

/// <summary>
/// Hides the values of a JSON document's entries whose names say they are secret (<c>password</c>,
/// <c>api_token</c>, ...), at any depth, whatever their length. The masker hides values it learned,
/// and learns none shorter than <see cref="SecretMasker.MinimumLength"/> (a short value would mask
/// half of every text); in a run's conf the name itself says the value is secret, so a front end shows
/// <c>***</c> for it, however short.
/// </summary>
internal static class SecretEntries
{
    // Deeper than this is shown as it is: the conf was parsed by the runner with the same bound.
    private const int MaxDepth = 64;

    /// <summary>The document with every secret-named entry's value replaced by <c>***</c>; the text as
    /// it is when it is not JSON or holds no such entry.</summary>
    public static string Hide(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }

        return HideIn(root, 0) ? root!.ToJsonString() : json;
    }

    private static bool IsReplacement(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == SecretMasker.Replacement;

    private static bool HideIn(JsonNode? node, int depth)
    {
        if (depth > MaxDepth)
            return false;
        var changed = false;
        switch (node)
        {
            case JsonObject map:
                foreach (var name in map.Select(p => p.Key).ToList())
                {
                    // One the masker already hid stays as written, so the document keeps its layout.
                    if (SecretMasker.IsSecretName(name) && map[name] is { } value && !IsReplacement(value))
                    {
                        map[name] = SecretMasker.Replacement;
                        changed = true;
                    }
                    else
                    {
                        changed |= HideIn(map[name], depth + 1);
                    }
                }

                break;
            case JsonArray list:
                foreach (var item in list)
                    changed |= HideIn(item, depth + 1);
                break;
        }

        return changed;
    }
}
