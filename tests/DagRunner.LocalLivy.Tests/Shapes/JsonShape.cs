using System.Text.Json;
using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Shapes;

/// <summary>Compares the shape of one of our answers with a real payload sample: every field the
/// sample has must be in ours with the same JSON kind (string, number, bool, array, object). A
/// sample <c>null</c> accepts a string or null (the field is an optional string in the real
/// server). Objects are compared recursively, arrays by their first element. Fields ours has in
/// addition are fine: clients must ignore unknown fields.</summary>
public static class JsonShape
{
    /// <summary>Loads a fixture copied to the output folder (<c>Fixtures/{name}</c>).</summary>
    public static JsonNode Fixture(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        return JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidOperationException($"Fixture {name} is JSON null.");
    }

    /// <summary>Every difference between <paramref name="sample"/>'s shape and
    /// <paramref name="actual"/>'s, as <c>path: problem</c>. <paramref name="allowMissing"/> names
    /// sample fields (JSON paths such as <c>$.app.preemptedResourceMB</c>) that ours may lack.</summary>
    public static IReadOnlyList<string> Differences(JsonNode? sample, JsonNode? actual, IReadOnlyCollection<string>? allowMissing = null)
    {
        var differences = new List<string>();
        Compare(sample, actual, "$", allowMissing ?? [], differences);
        return differences;
    }

    /// <summary>Fails with every difference (and our answer) unless ours has the sample's shape.</summary>
    public static void AssertMatches(string fixture, JsonNode? actual, params string[] allowMissing)
    {
        var differences = Differences(Fixture(fixture), actual, allowMissing);
        Assert.True(differences.Count == 0,
            $"Our answer does not have the shape of {fixture}:\n  {string.Join("\n  ", differences)}\nOur answer: {actual?.ToJsonString() ?? "null"}");
    }

    /// <summary>The kind a shape check compares: true and false are one kind.</summary>
    public static string Kind(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    private static void Compare(JsonNode? sample, JsonNode? actual, string path, IReadOnlyCollection<string> allowMissing, List<string> differences)
    {
        var sampleKind = Kind(sample);
        var actualKind = Kind(actual);
        if (sampleKind == "null")
        {
            if (actualKind is not ("null" or "string"))
                differences.Add($"{path}: the sample has null (a string or null), ours is {actualKind}");
            return;
        }

        if (sampleKind != actualKind)
        {
            differences.Add($"{path}: the sample has {sampleKind}, ours is {actualKind}");
            return;
        }

        switch (sample)
        {
            case JsonObject sampleObject:
                var actualObject = actual!.AsObject();
                foreach (var (name, value) in sampleObject)
                {
                    var fieldPath = $"{path}.{name}";
                    if (!actualObject.TryGetPropertyValue(name, out var actualValue))
                    {
                        if (!allowMissing.Contains(fieldPath))
                            differences.Add($"{fieldPath}: missing in ours");
                        continue;
                    }

                    Compare(value, actualValue, fieldPath, allowMissing, differences);
                }

                break;
            case JsonArray sampleArray when sampleArray.Count > 0:
                var actualArray = actual!.AsArray();
                if (actualArray.Count == 0)
                    differences.Add($"{path}: the sample has items, ours is an empty array (nothing to compare)");
                else
                    Compare(sampleArray[0], actualArray[0], path + "[0]", allowMissing, differences);
                break;
        }
    }
}
