using System.Collections.Immutable;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// DagRunner's settings as options, bound from the configuration that
/// <see cref="DagRunnerConfiguration.AddDagRunnerSources"/> composes (command-line options over
/// <c>DAGRUNNER_</c> environment variables over <c>dagrunner.json</c> over these defaults) and
/// validated at start. Once configured, folders are full paths. The rest of the code works from
/// the resolved <see cref="DagRunnerSettings"/>; a host reads these through <c>IOptions&lt;DagRunnerOptions&gt;</c>.
/// </summary>
public sealed class DagRunnerOptions
{
    /// <summary>Where DAG files are found. Default <c>dags</c> (relative to the current folder);
    /// <c>--dags-folder</c>, <c>DAGRUNNER_DAGS_FOLDER</c>, <c>dagsFolder</c>.</summary>
    public string DagsFolder { get; set; } = "dags";

    /// <summary>Where statement templates and job files live. Default <c>templates</c>;
    /// <c>--templates-folder</c>, <c>DAGRUNNER_TEMPLATES_FOLDER</c>, <c>templatesFolder</c>.</summary>
    public string TemplatesFolder { get; set; } = "templates";

    /// <summary>State, logs and caches. Default <c>.dagrunner</c>; <c>--home</c>, <c>DAGRUNNER_HOME</c>, <c>home</c>.</summary>
    public string Home { get; set; } = ".dagrunner";

    /// <summary>Where runs are kept: empty for the SQLite file <c>&lt;home&gt;/state.db</c> (the default), or a PostgreSQL
    /// store's URI, <c>postgres://user:password@host:port/database</c>; <c>--store</c>, <c>DAGRUNNER_STORE</c>, <c>store</c>.</summary>
    public string? Store { get; set; }

    /// <summary>How long one DAG file may take to load, in seconds (more than 0, at most 86,400). Default 30;
    /// <c>--load-timeout</c>, <c>DAGRUNNER_LOAD_TIMEOUT</c>, <c>loadTimeoutSeconds</c>.</summary>
    public double LoadTimeoutSeconds { get; set; } = 30;

    /// <summary>How much managed memory loading one DAG file may take, in megabytes (32 to 1,048,576).
    /// Default 512; <c>--load-memory-limit</c>, <c>DAGRUNNER_LOAD_MEMORY_LIMIT</c>, <c>loadMemoryLimitMb</c>.</summary>
    public int LoadMemoryLimitMb { get; set; } = DagRunnerSettings.DefaultLoadMemoryLimitMb;

    /// <summary>Whether DAG files missing from the compile cache are compiled by the compile server (one long-running
    /// process per user that keeps a warm compiler, started by the first process that needs it and ended after 10 idle
    /// minutes). Default true; <c>DAGRUNNER_COMPILE_SERVER</c> (<c>true</c>/<c>false</c>, <c>on</c>/<c>off</c>, <c>1</c>/<c>0</c>), <c>compileServer</c>.</summary>
    /// <remarks>Not bound by name: the setting's text is read as on/off first (the binder knows only true/false).</remarks>
    public bool UseCompileServer { get; set; } = true;

    /// <summary>How many task attempts one process runs at once, across runs (at least 1). Default 32; <c>parallelism</c>.</summary>
    public int Parallelism { get; set; } = DagRunnerSettings.DefaultParallelism;

    /// <summary>Named pools and their slots (at least 1 each); <c>pools</c>. Default none: every pool has 128 slots.</summary>
    public Dictionary<string, int> Pools { get; } = new(StringComparer.Ordinal);

    /// <summary>Connection URIs by id; <c>connections</c> (environment variables <c>DAGRUNNER_CONN_&lt;ID&gt;</c>
    /// are read when a connection is used, not here).</summary>
    public Dictionary<string, string> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>How the remote clients wait and retry; <c>clients</c>.</summary>
    public DagRunnerClientOptions Clients { get; } = new();

    /// <summary>The web UI: where it listens, who may sign in; <c>web</c>.</summary>
    public DagRunnerWebOptions Web { get; } = new();

    /// <summary>The <c>dagrunner.json</c> that was read, if any. Not a setting: set when the options are configured.</summary>
    public string? SettingsFile { get; internal set; }

    /// <summary>The resolved record the rest of the code uses.</summary>
    internal DagRunnerSettings ToSettings() => new()
    {
        DagsFolder = DagsFolder,
        TemplatesFolder = TemplatesFolder,
        Home = Home,
        Store = string.IsNullOrWhiteSpace(Store) ? null : Store.Trim(),
        LoadTimeout = TimeSpan.FromSeconds(LoadTimeoutSeconds),
        LoadMemoryLimitMb = LoadMemoryLimitMb,
        CompileServer = UseCompileServer,
        Connections = Connections.ToImmutableSortedDictionary(StringComparer.Ordinal),
        Parallelism = Parallelism,
        Pools = Pools.ToImmutableSortedDictionary(StringComparer.Ordinal),
        SettingsFile = SettingsFile,
        Clients = Clients.ToClientOptions(),
        Web = Web.ToSettings(),
    };
}
