using System.Collections.Immutable;
using DagRunner.Clients.Http;

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

    /// <summary>Where runs are kept: null for the SQLite file <c>&lt;home&gt;/state.db</c>, or a PostgreSQL store's URI
    /// (<c>postgres://user:password@host:port/database</c>), which several processes on several machines share.
    /// <c>--store</c>, env <c>DAGRUNNER_STORE</c>, <c>dagrunner.json</c> <c>store</c>.</summary>
    public string? Store { get; init; }

    /// <summary>Whether the store is shared by several processes (a PostgreSQL <see cref="Store"/>).</summary>
    public bool SharesStore => Store is not null;

    /// <summary>How long one DAG file may take to load. Default: 30 s; env <c>DAGRUNNER_LOAD_TIMEOUT</c> (seconds).</summary>
    public TimeSpan LoadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="LoadMemoryLimitMb"/>: 512.</summary>
    public const int DefaultLoadMemoryLimitMb = 512;

    /// <summary>How much managed memory loading one DAG file may take, in megabytes (the load probe's heap limit).
    /// Default: 512; env <c>DAGRUNNER_LOAD_MEMORY_LIMIT</c>; <c>dagrunner.json</c> <c>loadMemoryLimitMb</c>.</summary>
    public int LoadMemoryLimitMb { get; init; } = DefaultLoadMemoryLimitMb;

    /// <summary>Whether DAG files missing from the compile cache are compiled by the compile server.
    /// Default: true; env <c>DAGRUNNER_COMPILE_SERVER</c>; <c>dagrunner.json</c> <c>compileServer</c>.</summary>
    public bool CompileServer { get; init; } = true;

    /// <summary>Connection URIs by id from <c>dagrunner.json</c> (environment variables are read when a connection is used).</summary>
    public ImmutableSortedDictionary<string, string> Connections { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The settings file that was read, if any.</summary>
    public string? SettingsFile { get; init; }

    /// <summary>The compile cache: <c>&lt;home&gt;/cache/scripts</c>.</summary>
    public string CacheFolder => Path.Combine(Home, "cache", "scripts");

    /// <summary>The default of <see cref="Parallelism"/>: 32.</summary>
    public const int DefaultParallelism = 32;

    /// <summary>How many task attempts one process runs at once, across runs. Default: 32; <c>dagrunner.json</c> <c>parallelism</c>.</summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>Named pools and their slots (<c>dagrunner.json</c> <c>pools</c>, e.g. <c>{"yarn_queue": 4}</c>); a pool not listed,
    /// <c>default_pool</c> included, has 128 slots.</summary>
    public ImmutableSortedDictionary<string, int> Pools { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    /// <summary>How the remote clients wait and retry (<c>dagrunner.json</c> <c>clients</c>); the host sets their clock.
    /// Default: <see cref="ClientOptions"/>'s defaults.</summary>
    public ClientOptions Clients { get; init; } = new();

    /// <summary>The web UI's address, port and users (<c>dagrunner.json</c> <c>web</c>). Default: 127.0.0.1:8080, no users.</summary>
    public WebSettings Web { get; init; } = new();

    /// <summary>Task logs: <c>&lt;home&gt;/logs</c>.</summary>
    public string LogsFolder => Path.Combine(Home, "logs");
}
