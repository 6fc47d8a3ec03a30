using System.Reflection;
using DagRunner.Scripting.Isolation;
using DagRunner.Scripting.Serving;
using DagRunner.Sdk;

namespace DagRunner.Scripting;

/// <summary>How DAG files are found, compiled and loaded.</summary>
public sealed class ScriptingOptions
{
    /// <summary>The default <see cref="LoadTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultLoadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The folder searched for <c>*.csx</c> DAG files. Default: <c>./dags</c>.</summary>
    public string DagsFolder { get; set; } = "dags";

    /// <summary>The folder that statement templates and job files are resolved in. Default: <c>./templates</c>.</summary>
    public string TemplatesFolder { get; set; } = "templates";

    /// <summary>
    /// Where compiled DAG files are cached; <see langword="null"/> turns the cache off.
    /// Default: none (the host sets <c>&lt;home&gt;/cache/scripts</c>).
    /// </summary>
    public string? CacheFolder { get; set; }

    /// <summary>How long one DAG file may run while loading before it is stopped with an import error. Default: 30 seconds.</summary>
    public TimeSpan LoadTimeout { get; set; } = DefaultLoadTimeout;

    /// <summary>
    /// How many files are compiled or loaded at once. Default: twice the number of processors,
    /// so reading one file's cache entry overlaps with running another.
    /// </summary>
    public int MaxParallelism { get; set; } = Environment.ProcessorCount * 2;

    /// <summary>
    /// The load probe, which runs each new version of a file in a separate process under a memory
    /// limit before the runner runs it; <see langword="null"/> runs files in this process only.
    /// Default: none (the host sets it to the <c>dagrunner</c> executable).
    /// </summary>
    public LoadProbeOptions? Probe { get; set; }

    /// <summary>
    /// The compile server that files missing from the compile cache are compiled by when one runs, started for
    /// the next process when none does (<see cref="CompileServerOptions"/>); <see langword="null"/> compiles in
    /// this process only. Default: none (the host sets it to the <c>dagrunner</c> executable).
    /// </summary>
    public CompileServerOptions? CompileServer { get; set; }

    /// <summary>
    /// The assemblies DAG files are compiled against besides the shared framework and the SDK (which
    /// every file sees): the host's operators. The load probe process must be given the same, or it
    /// refuses to judge files compiled by the runner. Default: none.
    /// </summary>
    public IReadOnlyList<Assembly> DagAssemblies { get; set; } = [];

    /// <summary>The namespaces every DAG file imports without a <c>using</c>, besides <c>DagRunner.Sdk</c>
    /// and the framework's common ones (<c>System</c>, <c>System.Linq</c>, ...). Default: none.</summary>
    public IReadOnlyList<string> DagImports { get; set; } = [];

    /// <summary>
    /// Checks the templates of a task when its DAG file loads (they parse, name nothing undefined, their
    /// statement files exist) and returns each problem's message; every message becomes an import
    /// error (DAG006) at the task. The host's check shares its template cache with the runner that
    /// renders them. Default: none (templates are not checked at load).
    /// </summary>
    public Func<DagTask, IEnumerable<string>>? TemplateCheck { get; set; }

    /// <summary>
    /// Whether an unchanged file's definitions are read from the snapshot its last run left beside the
    /// compile cache (in any process: a scheduler, <c>dev</c>, <c>dags list</c>) instead of running its code.
    /// For a process that shows DAGs and runs no task (the web UI): it then holds no DAG code and runs
    /// none, except <see cref="DagFolderLoader.LoadFileAsync"/> for a page that needs the task objects.
    /// Definitions read from a snapshot have no task objects. Needs <see cref="CacheFolder"/>. Default: false
    /// (every file version runs, and leaves a snapshot when the cache is on).
    /// </summary>
    public bool ReadDefinitionSnapshots { get; set; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DagsFolder))
        {
            throw new ArgumentException("The DAGs folder is empty.", nameof(DagsFolder));
        }

        if (LoadTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(LoadTimeout), LoadTimeout, "The load timeout must be positive.");
        }

        if (MaxParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxParallelism), MaxParallelism, "At least one file must be loaded at a time.");
        }

        ArgumentNullException.ThrowIfNull(DagAssemblies);
        ArgumentNullException.ThrowIfNull(DagImports);
        Probe?.Validate();
        CompileServer?.Validate();
    }
}
