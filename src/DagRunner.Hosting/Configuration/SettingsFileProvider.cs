using System.Text.Json;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// The settings in <c>dagrunner.json</c>, when the file exists. Read with System.Text.Json rather
/// than the stock JSON configuration provider, which flattens every value to text: the file's
/// types are checked here (<c>"home": 5</c>, <c>"pools": 4</c> and <c>"parallelism": "8"</c> are
/// errors, as are unknown keys), and every value in the file is checked when it is read, whether or
/// not another source overrides it. Relative folders are relative to the file's folder.
/// </summary>
internal sealed partial class SettingsFileProvider(string path) : SettingsProvider
{
    /// <summary>The file's full path.</summary>
    public string FilePath => path;

    /// <summary>Whether the file existed and was read.</summary>
    public bool Found { get; private set; }

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Found = File.Exists(path);
        if (Found)
            Read(data);
        Data = data;
    }

    public override string Describe(string key) => key switch
    {
        SettingKeys.LoadTimeoutSeconds or SettingKeys.LoadMemoryLimitMb or SettingKeys.CompileServer => $"{path}: {key}",
        SettingKeys.WebHost or SettingKeys.WebPort => $"{path}: {key.Replace(':', '.')}",
        _ => $"{path}: '{key}'",
    };

    private void Read(Dictionary<string, string?> data)
    {
        using var document = Parse();
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new ConfigurationException($"{path}: the settings must be a JSON object.");

        foreach (var property in root.EnumerateObject())
        {
            if (!SettingKeys.InFile.Contains(property.Name, StringComparer.Ordinal))
                throw new ConfigurationException($"{path}: unknown setting '{property.Name}'; the settings are {string.Join(", ", SettingKeys.InFile)}.");
        }

        var fileFolder = Path.GetDirectoryName(path)!;
        foreach (var key in SettingKeys.Folders)
        {
            if (String(root, key) is { } folder)
                data[key] = FullPath(key, folder, fileFolder);
        }

        if (root.TryGetProperty(SettingKeys.LoadTimeoutSeconds, out var timeout))
            data[SettingKeys.LoadTimeoutSeconds] = Checked(timeout, SettingKeys.LoadTimeoutSeconds, SettingsLoader.ParseSeconds);
        if (root.TryGetProperty(SettingKeys.LoadMemoryLimitMb, out var memory))
            data[SettingKeys.LoadMemoryLimitMb] = Checked(memory, SettingKeys.LoadMemoryLimitMb, SettingsLoader.ParseMegabytes);
        if (root.TryGetProperty(SettingKeys.CompileServer, out var server))
            data[SettingKeys.CompileServer] = server.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? server.GetRawText()
                : throw new ConfigurationException($"{Describe(SettingKeys.CompileServer)} must be true or false, not {server.GetRawText()}.");
        ReadConnections(root, data);
        if (root.TryGetProperty(SettingKeys.Parallelism, out var parallelism))
            data[SettingKeys.Parallelism] = PositiveInt(parallelism, $"{path}: '{SettingKeys.Parallelism}'");
        ReadPools(root, data);
        ReadClients(root, data);
        ReadWeb(root, data);
    }

    private JsonDocument Parse()
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"{path}:{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}: not valid JSON: {ex.Message}", ex);
        }
    }

    // A number's text as written, once it parses; anything but a number is reported as 'invalid'.
    private string Checked<T>(JsonElement value, string key, Func<string?, string, T> parse)
    {
        var text = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "invalid";
        _ = parse(text, Describe(key));
        return text;
    }

    private static string PositiveInt(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 1
            ? value.GetRawText()
            : throw new ConfigurationException($"{where} must be a whole number of at least 1, not {value.GetRawText()}.");

    private string? String(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ConfigurationException($"{path}: '{name}' must be a string.");
    }

    private void ReadConnections(JsonElement root, Dictionary<string, string?> data)
    {
        if (!root.TryGetProperty(SettingKeys.Connections, out var connections))
            return;
        if (connections.ValueKind != JsonValueKind.Object)
            throw new ConfigurationException($"{path}: 'connections' must be an object of connection id to URI.");

        foreach (var connection in Named(connections, "connection"))
        {
            data[$"{SettingKeys.Connections}:{connection.Name}"] = connection.Value.ValueKind == JsonValueKind.String
                ? connection.Value.GetString()!
                : throw new ConfigurationException($"{path}: connection '{connection.Name}' must be a URI string.");
        }
    }

    private void ReadPools(JsonElement root, Dictionary<string, string?> data)
    {
        if (!root.TryGetProperty(SettingKeys.Pools, out var pools))
            return;
        if (pools.ValueKind != JsonValueKind.Object)
            throw new ConfigurationException($"{path}: 'pools' must be an object of pool name to slot count, e.g. {{\"yarn_queue\": 4}}.");

        foreach (var pool in Named(pools, "pool"))
            data[$"{SettingKeys.Pools}:{pool.Name}"] = PositiveInt(pool.Value, $"{path}: pool '{pool.Name}'");
    }

    // Configuration keys ignore case and ':' nests them: two names that differ only in case would
    // silently become one, and "a:b" a child of "a". Refused, naming both, instead of losing one.
    private IEnumerable<JsonProperty> Named(JsonElement section, string what)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in section.EnumerateObject())
        {
            if (entry.Name.Contains(':', StringComparison.Ordinal))
                throw new ConfigurationException($"{path}: {what} '{entry.Name}': ':' is not allowed in a name.");
            if (seen.TryGetValue(entry.Name, out var first) && first == entry.Name)
                throw new ConfigurationException($"{path}: {what} '{entry.Name}' is given twice.");
            if (first is not null)
                throw new ConfigurationException($"{path}: {what}s '{first}' and '{entry.Name}' differ only in case; names are compared ignoring case: rename one.");
            seen[entry.Name] = entry.Name;
            yield return entry;
        }
    }
}
