using System.CommandLine;
using DagRunner.Hosting.Configuration;

namespace DagRunner.Cli;

/// <summary>The options every command takes.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> DagsFolder { get; } = new("--dags-folder")
    {
        Description = "Folder of DAG files (default ./dags, env DAGRUNNER_DAGS_FOLDER)",
        Recursive = true,
    };

    public Option<string?> TemplatesFolder { get; } = new("--templates-folder")
    {
        Description = "Folder of statement templates and job files (default ./templates, env DAGRUNNER_TEMPLATES_FOLDER)",
        Recursive = true,
    };

    public Option<string?> Home { get; } = new("--home")
    {
        Description = "Folder for state, logs and caches (default ./.dagrunner, env DAGRUNNER_HOME)",
        Recursive = true,
    };

    public Option<string?> Store { get; } = new("--store")
    {
        Description = "Where runs are kept: a PostgreSQL URI postgres://user:password@host:port/database shared by several processes (default the SQLite file <home>/state.db, env DAGRUNNER_STORE)",
        Recursive = true,
    };

    public Option<double?> LoadTimeout { get; } = new("--load-timeout")
    {
        Description = "Seconds one DAG file may take to load (default 30, env DAGRUNNER_LOAD_TIMEOUT)",
        Recursive = true,
    };

    public Option<string?> LoadMemoryLimit { get; } = new("--load-memory-limit")
    {
        Description = "Megabytes of memory loading one DAG file may take (default 512, env DAGRUNNER_LOAD_MEMORY_LIMIT)",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show diagnostics and full error details",
        Recursive = true,
    };

    public IEnumerable<Option> All => [DagsFolder, TemplatesFolder, Home, Store, LoadTimeout, LoadMemoryLimit, Verbose];

    public SettingsOverrides Read(ParseResult parse) => new()
    {
        DagsFolder = parse.GetValue(DagsFolder),
        TemplatesFolder = parse.GetValue(TemplatesFolder),
        Home = parse.GetValue(Home),
        Store = parse.GetValue(Store),
        LoadTimeout = parse.GetValue(LoadTimeout) is { } seconds
            ? SettingsLoader.ParseSeconds(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--load-timeout")
            : null,
        LoadMemoryLimitMb = SettingsLoader.ParseMegabytes(parse.GetValue(LoadMemoryLimit), "--load-memory-limit"),
    };
}
