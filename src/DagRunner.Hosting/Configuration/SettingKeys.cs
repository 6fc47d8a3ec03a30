namespace DagRunner.Hosting.Configuration;

/// <summary>
/// The settings' keys (the names in <c>dagrunner.json</c> and in <see cref="Microsoft.Extensions.Configuration.IConfiguration"/>)
/// and their names as environment variables and command-line options: the one list each source reads.
/// </summary>
internal static class SettingKeys
{
    public const string DagsFolder = "dagsFolder";
    public const string TemplatesFolder = "templatesFolder";
    public const string Home = "home";
    public const string Store = "store";
    public const string LoadTimeoutSeconds = "loadTimeoutSeconds";
    public const string LoadMemoryLimitMb = "loadMemoryLimitMb";
    public const string CompileServer = "compileServer";
    public const string Connections = "connections";
    public const string Parallelism = "parallelism";
    public const string Pools = "pools";
    public const string Clients = "clients";
    public const string Web = "web";
    public const string WebHost = "web:host";
    public const string WebPort = "web:port";

    /// <summary>Every key <c>dagrunner.json</c> may hold, in the order the "unknown setting" error lists them.</summary>
    public static readonly IReadOnlyList<string> InFile = [DagsFolder, TemplatesFolder, Home, Store, LoadTimeoutSeconds, LoadMemoryLimitMb, CompileServer, Connections, Parallelism, Pools, Clients, Web];

    /// <summary>The keys that hold a folder: a relative one is resolved where it was written.</summary>
    public static readonly IReadOnlyList<string> Folders = [DagsFolder, TemplatesFolder, Home];

    /// <summary>The settings environment variables can set. Other <c>DAGRUNNER_</c> variables are not settings
    /// (<c>DAGRUNNER_CONN_*</c> are connections, read when a connection is used).</summary>
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DagsFolder] = "DAGRUNNER_DAGS_FOLDER",
        [TemplatesFolder] = "DAGRUNNER_TEMPLATES_FOLDER",
        [Home] = "DAGRUNNER_HOME",
        [Store] = "DAGRUNNER_STORE",
        [LoadTimeoutSeconds] = "DAGRUNNER_LOAD_TIMEOUT",
        [LoadMemoryLimitMb] = "DAGRUNNER_LOAD_MEMORY_LIMIT",
        [CompileServer] = "DAGRUNNER_COMPILE_SERVER",
        [WebHost] = "DAGRUNNER_WEB_HOST",
        [WebPort] = "DAGRUNNER_WEB_PORT",
    };

    /// <summary>The settings command-line options can set.</summary>
    public static readonly IReadOnlyDictionary<string, string> Options = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DagsFolder] = "--dags-folder",
        [TemplatesFolder] = "--templates-folder",
        [Home] = "--home",
        [Store] = "--store",
        [LoadTimeoutSeconds] = "--load-timeout",
        [LoadMemoryLimitMb] = "--load-memory-limit",
    };
}
