using System.Text.Json;
using System.Text.Json.Serialization;

namespace DagRunner.Engine.Definitions;

/// <summary>The one JSON shape of definitions, used by the CLI, the store and the web API.</summary>
public static class DefinitionJson
{
    /// <summary>camelCase names, enums as strings, nulls left out.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions(indented: false);

    /// <summary>The same as <see cref="Options"/>, indented for people.</summary>
    public static JsonSerializerOptions Indented { get; } = CreateOptions(indented: true);

    /// <summary>Serializes a definition.</summary>
    public static string Serialize(DagDefinition definition, bool indented = false) =>
        JsonSerializer.Serialize(definition, indented ? Indented : Options);

    /// <summary>Reads a definition back.</summary>
    /// <exception cref="JsonException">The text is not a definition.</exception>
    public static DagDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<DagDefinition>(json, Options) ?? throw new JsonException("The JSON text is null, not a DAG definition.");

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
