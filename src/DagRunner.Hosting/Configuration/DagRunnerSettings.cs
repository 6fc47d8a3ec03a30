using System.Collections.Immutable;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// The settings in force, resolved from (highest first) command-line options, environment
/// variables, <c>dagrunner.json</c> and the defaults. Folders are full paths.
/// </summary>
public sealed record DagRunnerSettings
{
    /// <summary>The name of the settings file looked for in the current folder.</summary>
    public const string FileName = "dagrunner.json";

    /// <summary>Where DAG files are found. Default: <c>./dags</c>; env <c>DAGRUNNER_DAGS_FOLDER</c>.</summary>
    public required string DagsFolder { get; init; }

    /// <summary>Where statement templates and job files live. Default: <c>./templates</c>; env <c>DAGRUNNER_TEMPLATES_FOLDER</c>.</summary>
    public required string TemplatesFolder { get; init; }

    /// <summary>State, logs and caches. Default: <c>./.dagrunner</c>; env <c>DAGRUNNER_HOME</c>.</summary>
    public required string Home { get; init; }

    /// <summary>How long one DAG file may take to load. Default: 30 s; env <c>DAGRUNNER_LOAD_TIMEOUT</c> (seconds).</summary>
    public TimeSpan LoadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connection URIs by id from <c>dagrunner.json</c> (environment variables are read when a connection is used).</summary>
    public ImmutableSortedDictionary<string, string> Connections { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The settings file that was read, if any.</summary>
    public string? SettingsFile { get; init; }

    /// <summary>The compile cache: <c>&lt;home&gt;/cache/scripts</c>.</summary>
    public string CacheFolder => Path.Combine(Home, "cache", "scripts");

    /// <summary>Task logs: <c>&lt;home&gt;/logs</c>.</summary>
    public string LogsFolder => Path.Combine(Home, "logs");
}
