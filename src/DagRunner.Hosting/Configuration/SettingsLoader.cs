using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// Resolves <see cref="DagRunnerSettings"/>: command-line options, then environment variables,
/// then <c>dagrunner.json</c> in the current folder, then defaults. Relative paths in the file
/// are relative to the file; the others to the current folder.
/// </summary>
public static class SettingsLoader
{
    private const int MaxSeconds = 86_400;
    private const int MinMegabytes = 32;
    private const int MaxMegabytes = 1_048_576;

    private static readonly string[] KnownKeys = ["dagsFolder", "templatesFolder", "home", "loadTimeoutSeconds", "loadMemoryLimitMb", "connections", "parallelism", "pools"];

    /// <summary>Resolves the settings; <paramref name="requireDagsFolder"/> is false for commands that
    /// do not read DAGs (<c>local-livy</c>).</summary>
    /// <exception cref="ConfigurationException">A value is malformed; the message says which and where.</exception>
    public static DagRunnerSettings Load(SettingsOverrides overrides, Func<string, string?> environment, string currentDirectory, bool requireDagsFolder = true)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(environment);
        var settingsPath = Path.Combine(currentDirectory, DagRunnerSettings.FileName);
        var file = File.Exists(settingsPath) ? ReadFile(settingsPath) : null;
        var fileFolder = Path.GetDirectoryName(settingsPath)!;

        string Folder(string? option, string variable, string? fromFile, string fallback) =>
            option is not null ? Path.GetFullPath(option, currentDirectory)
            : environment(variable) is { Length: > 0 } fromEnv ? Path.GetFullPath(fromEnv, currentDirectory)
            : fromFile is not null ? Path.GetFullPath(fromFile, fileFolder)
            : Path.GetFullPath(fallback, currentDirectory);

        var settings = new DagRunnerSettings
        {
            DagsFolder = Folder(overrides.DagsFolder, "DAGRUNNER_DAGS_FOLDER", file?.DagsFolder, "dags"),
            TemplatesFolder = Folder(overrides.TemplatesFolder, "DAGRUNNER_TEMPLATES_FOLDER", file?.TemplatesFolder, "templates"),
            Home = Folder(overrides.Home, "DAGRUNNER_HOME", file?.Home, ".dagrunner"),
            LoadTimeout = overrides.LoadTimeout
                ?? ParseSeconds(environment("DAGRUNNER_LOAD_TIMEOUT"), "environment variable DAGRUNNER_LOAD_TIMEOUT")
                ?? file?.LoadTimeout
                ?? TimeSpan.FromSeconds(30),
            LoadMemoryLimitMb = overrides.LoadMemoryLimitMb
                ?? ParseMegabytes(environment("DAGRUNNER_LOAD_MEMORY_LIMIT"), "environment variable DAGRUNNER_LOAD_MEMORY_LIMIT")
                ?? file?.LoadMemoryLimitMb
                ?? DagRunnerSettings.DefaultLoadMemoryLimitMb,
            Connections = file?.Connections ?? ImmutableSortedDictionary<string, string>.Empty,
            Parallelism = file?.Parallelism ?? DagRunnerSettings.DefaultParallelism,
            Pools = file?.Pools ?? ImmutableSortedDictionary<string, int>.Empty,
            SettingsFile = file is null ? null : settingsPath,
        };

        if (File.Exists(settings.Home))
        {
            throw new ConfigurationException(
                $"The home {settings.Home} is a file, not a folder; point --home, DAGRUNNER_HOME or \"home\" in {DagRunnerSettings.FileName} at a folder (the file is left as it is).");
        }

        if (requireDagsFolder && !Directory.Exists(settings.DagsFolder))
        {
            throw new ConfigurationException(
                $"The DAGs folder {settings.DagsFolder} does not exist; create it or point --dags-folder, DAGRUNNER_DAGS_FOLDER or \"dagsFolder\" in {DagRunnerSettings.FileName} at yours.");
        }

        return settings;
    }

    /// <summary>Parses a positive number of seconds, or returns <see langword="null"/> for an empty value.</summary>
    public static TimeSpan? ParseSeconds(string? text, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0 || double.IsInfinity(seconds))
        {
            throw new ConfigurationException($"{where}: '{text}' is not a positive number of seconds.");
        }

        if (seconds > MaxSeconds)
        {
            throw new ConfigurationException($"{where}: {text} seconds is more than the limit of {MaxSeconds} (one day).");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Parses a load memory limit in megabytes (32 to 1,048,576), or returns <see langword="null"/> for an empty value.</summary>
    public static int? ParseMegabytes(string? text, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var megabytes) && megabytes is >= MinMegabytes and <= MaxMegabytes
            ? megabytes
            : throw new ConfigurationException($"{where}: '{text}' is not a whole number of megabytes from {MinMegabytes} to {MaxMegabytes}.");
    }

    private static FileSettings ReadFile(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"{path}:{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}: not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"{path}: the settings must be a JSON object.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!KnownKeys.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new ConfigurationException($"{path}: unknown setting '{property.Name}'; the settings are {string.Join(", ", KnownKeys)}.");
                }
            }

            return new FileSettings(
                String(root, "dagsFolder", path),
                String(root, "templatesFolder", path),
                String(root, "home", path),
                root.TryGetProperty("loadTimeoutSeconds", out var timeout)
                    ? ParseSeconds(timeout.ValueKind == JsonValueKind.Number ? timeout.GetRawText() : "invalid", $"{path}: loadTimeoutSeconds")
                    : null,
                root.TryGetProperty("loadMemoryLimitMb", out var memory)
                    ? ParseMegabytes(memory.ValueKind == JsonValueKind.Number ? memory.GetRawText() : "invalid", $"{path}: loadMemoryLimitMb")
                    : null,
                Connections(root, path),
                root.TryGetProperty("parallelism", out var parallelism) ? PositiveInt(parallelism, $"{path}: 'parallelism'") : null,
                Pools(root, path));
        }
    }

    private static int PositiveInt(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 1
            ? number
            : throw new ConfigurationException($"{where} must be a whole number of at least 1, not {value.GetRawText()}.");

    private static ImmutableSortedDictionary<string, int>? Pools(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pools", out var pools))
            return null;
        if (pools.ValueKind != JsonValueKind.Object)
            throw new ConfigurationException($"{path}: 'pools' must be an object of pool name to slot count, e.g. {{\"yarn_queue\": 4}}.");
        return pools.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => PositiveInt(p.Value, $"{path}: pool '{p.Name}'"), StringComparer.Ordinal);
    }

    private static string? String(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ConfigurationException($"{path}: '{name}' must be a string.");
    }

    private static ImmutableSortedDictionary<string, string> Connections(JsonElement root, string path)
    {
        if (!root.TryGetProperty("connections", out var connections))
        {
            return ImmutableSortedDictionary<string, string>.Empty;
        }

        if (connections.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigurationException($"{path}: 'connections' must be an object of connection id to URI.");
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var connection in connections.EnumerateObject())
        {
            builder[connection.Name] = connection.Value.ValueKind == JsonValueKind.String
                ? connection.Value.GetString()!
                : throw new ConfigurationException($"{path}: connection '{connection.Name}' must be a URI string.");
        }

        return builder.ToImmutable();
    }

    private sealed record FileSettings(
        string? DagsFolder,
        string? TemplatesFolder,
        string? Home,
        TimeSpan? LoadTimeout,
        int? LoadMemoryLimitMb,
        ImmutableSortedDictionary<string, string> Connections,
        int? Parallelism,
        ImmutableSortedDictionary<string, int>? Pools);
}
