using System.Collections.Immutable;
using DagRunner.Engine.Definitions;
using DagRunner.Scripting.Caching;
using DagRunner.Scripting.Compilation;
using DagRunner.Scripting.Definitions;
using DagRunner.Scripting.Discovery;
using DagRunner.Scripting.Isolation;
using DagRunner.Scripting.Loading;
using DagRunner.Scripting.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.Scripting;

/// <summary>
/// Loads a DAGs folder: finds the files, takes each compiled file from the cache or compiles
/// the missing ones in parallel, runs every file in its own collectible load context under the
/// load timeout, and builds and checks the definitions.
/// </summary>
/// <remarks>
/// A loader remembers each file's last load. Loading again (the scheduler and <c>dev</c> do, after a
/// change) compiles and runs only the files whose text, or a file they <c>#load</c>, changed; the
/// others keep their definitions, which are only built again (no code runs) when the templates
/// changed. A change to a non-script file in the DAGs folder runs every file again, since a file may
/// read it. A load timeout is not remembered: that file runs again next time. The code of a version
/// that was replaced, or of a file that is gone, is let go: the runtime unloads it once nothing
/// refers to it any more (no definition, no running task).
/// <para>Every file version that runs without an import error leaves a snapshot of its definitions beside the
/// compile cache; with <see cref="ScriptingOptions.ReadDefinitionSnapshots"/> a version that has one is not run
/// at all (see <see cref="DefinitionSnapshots"/>).</para>
/// <para>With <see cref="ScriptingOptions.Probe"/>, a file version runs in the runner only after it
/// loaded in a probe process: one that ends that process, runs out of its memory or hangs is an
/// import error and never runs here. A loader that reads snapshots has the probe keep the definitions of a
/// new version it ran, and takes them from there: the file's code runs once, not twice.</para>
/// </remarks>
public sealed class DagFolderLoader : IDisposable
{
    private readonly ScriptingOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CompileCache _cache;
    private readonly DefinitionSnapshots _snapshots;
    private readonly ScriptRunner _runner;
    private readonly DefinitionBuilder _definitions;
    private readonly LoadProbe? _probe;

    // The probe reads compiled files from the compile cache; without a cache folder of the host's,
    // the loader keeps one of its own for its lifetime.
    private readonly string? _ownedCacheFolder;

    // The compiler is created on the first cache miss only: a start served from the cache never
    // loads Roslyn.
    private readonly Lazy<ScriptCompiler> _compiler;

    // Asked first for a file missing from the cache: a one-shot command then never loads the compiler at all.
    private readonly CompileServerClient? _server;

    // One load at a time, each starting from the previous one's results: a load waits for the one
    // before it (however that one ended).
    private readonly Lock _gate = new();
    private Task _lastLoad = Task.CompletedTask;
    private Dictionary<string, DagFileResult> _previous = new(StringComparer.Ordinal);
    private string _dataStamp = string.Empty;

    /// <summary>Creates a loader. What DAG files see and how their templates are checked come from
    /// <paramref name="options"/> (<see cref="ScriptingOptions.DagAssemblies"/>, <see cref="ScriptingOptions.TemplateCheck"/>).</summary>
    public DagFolderLoader(ScriptingOptions options, TimeProvider timeProvider, ILogger<DagFolderLoader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _time = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var cacheFolder = options.CacheFolder is null ? null : Path.GetFullPath(options.CacheFolder);
        if (options.Probe is not null && cacheFolder is null)
            cacheFolder = _ownedCacheFolder = Path.Combine(Path.GetTempPath(), $"dagrunner-cache-{Guid.NewGuid():N}");
        var assemblies = ScriptAssemblies.From(options);
        _compiler = new(() => new ScriptCompiler(assemblies), LazyThreadSafetyMode.ExecutionAndPublication);
        _cache = new CompileCache(cacheFolder, assemblies, _logger);
        _server = options.CompileServer is null ? null : CompileServerClient.Create(options.CompileServer, assemblies, timeProvider, _logger);
        var builders = DefinitionSnapshots.StampOf([typeof(DagDefinition).Assembly, typeof(DagFolderLoader).Assembly, options.TemplateCheck?.Method.Module.Assembly, .. options.DagAssemblies]);
        _snapshots = new DefinitionSnapshots(cacheFolder is null ? null : DefinitionSnapshots.FolderIn(cacheFolder), builders, _logger);
        _runner = new ScriptRunner(timeProvider);
        _probe = options.Probe is null ? null : new LoadProbe(options.Probe, cacheFolder!, Path.GetFullPath(options.TemplatesFolder), assemblies.Stamp, options.LoadTimeout, timeProvider, _logger);
        _definitions = new DefinitionBuilder(options.TemplateCheck);
    }

    /// <summary>Whether this loader started a compiler of its own (a file missing from the cache that no compile server compiled).</summary>
    internal bool CompilerLoaded => _compiler.IsValueCreated;

    /// <summary>Loads every DAG file in the folder, running again only what changed since the previous load.</summary>
    public Task<DagCompilation> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var load = LoadAfterAsync(_lastLoad, cancellationToken);
            _lastLoad = load;
            return load;
        }
    }

    /// <summary>
    /// Compiles every file that is not in the cache yet, without running any: fills the cache,
    /// so the next load starts fast. Returns how many files were compiled.
    /// </summary>
    public async Task<int> PrecompileAsync(CancellationToken cancellationToken)
    {
        var files = DagFileDiscovery.Find(_options.DagsFolder);
        var compiled = 0;
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken },
            async (file, ct) =>
            {
                var text = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
                if (!(await GetOrCompileAsync(file, _cache.ComputeKey(file, text), text, ct).ConfigureAwait(false)).FromCache)
                {
                    Interlocked.Increment(ref compiled);
                }
            }).ConfigureAwait(false);
        _server?.StartIfMissing();
        return compiled;
    }

    private async Task<DagCompilation> LoadAfterAsync(Task before, CancellationToken cancellationToken)
    {
        // However the load before ended; and never on the caller's stack, which holds the gate.
        await before.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        cancellationToken.ThrowIfCancellationRequested();
        var files = DagFileDiscovery.Find(_options.DagsFolder);
        var dataStamp = FolderStamp.OfDataFiles(_options.DagsFolder);
        var templatesStamp = FolderStamp.Of(_options.TemplatesFolder);
        var previous = dataStamp == _dataStamp ? _previous : [];
        var loads = new DagFileResult[files.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken },
            async (i, ct) => loads[i] = await LoadOneAsync(files[i], previous.GetValueOrDefault(files[i]), templatesStamp, dataStamp, _options.ReadDefinitionSnapshots, ct).ConfigureAwait(false)).ConfigureAwait(false);

        _server?.StartIfMissing();
        Remember(loads);
        _dataStamp = dataStamp;
        return Combine(loads, Path.GetDirectoryName(Path.GetFullPath(_options.DagsFolder)) ?? string.Empty);
    }

    /// <summary>
    /// Runs one DAG file's code now (taken from the compile cache when it is there), whatever snapshot it
    /// has, and returns what it built: the DAGs with their task objects, or its import errors. The folder's
    /// remembered load is left as it is. For a process that reads snapshots
    /// (<see cref="ScriptingOptions.ReadDefinitionSnapshots"/>) and needs one DAG's task objects, e.g. to
    /// render its templates; the code is let go once nothing refers to what it built.
    /// </summary>
    public async Task<DagCompilation> LoadFileAsync(string file, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        var path = Path.GetFullPath(file);
        var load = await LoadOneAsync(path, null, FolderStamp.Of(_options.TemplatesFolder), FolderStamp.OfDataFiles(_options.DagsFolder), useSnapshot: false, cancellationToken).ConfigureAwait(false);
        _server?.StartIfMissing();
        return Combine([load], Path.GetDirectoryName(Path.GetFullPath(_options.DagsFolder)) ?? string.Empty);
    }

    private async Task<DagFileResult> LoadOneAsync(string file, DagFileResult? previous, string templatesStamp, string dataStamp, bool useSnapshot, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DagFileResult.Failed(file, new ImportError { File = file, Message = $"The file cannot be read: {ex.Message}" }, _time.GetElapsedTime(started));
        }

        string key;
        try
        {
            key = _cache.ComputeKey(file, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A #load'ed helper went away or was locked between being found and being read (an
            // editor saving it by rename): an error of this file for this load, not of the whole load.
            return DagFileResult.Failed(file, new ImportError { File = file, Message = $"A file it #loads cannot be read: {ex.Message}" }, _time.GetElapsedTime(started));
        }

        // What a reader of snapshots sees follows every outcome: a version that built DAGs leaves them, one
        // that failed removes what an earlier run of it left (a reader then runs it and shows the error).
        var snapshotKey = _snapshots.KeyOf(key, dataStamp, templatesStamp);

        // A snapshot's definitions were checked against the templates of its key: other templates, another snapshot.
        if (previous is not null && previous.Key == key && !(previous.FromSnapshot && previous.TemplatesStamp != templatesStamp))
        {
            // Unchanged: the same code would build the same DAGs. Only the template checks can differ.
            if (previous.TemplatesStamp == templatesStamp || previous.Dags.Count == 0)
                return previous with { FromCache = true, Ran = false, Duration = _time.GetElapsedTime(started), TemplatesStamp = templatesStamp };
            var (rebuilt, problems) = _definitions.Build(file, previous.Dags);
            _snapshots.Keep(snapshotKey, file, problems.Count > 0 ? null : [.. rebuilt]);
            return previous with
            {
                Definitions = problems.Count > 0 ? [] : [.. rebuilt],
                Errors = [.. problems],
                FromCache = true,
                Ran = false,
                Duration = _time.GetElapsedTime(started),
                TemplatesStamp = templatesStamp,
            };
        }

        if (useSnapshot && _snapshots.TryRead(snapshotKey, file) is { } snapshot)
        {
            return new DagFileResult(file, snapshot, [], true, _time.GetElapsedTime(started)) { Key = key, TemplatesStamp = templatesStamp, FromSnapshot = true };
        }

        var (compiled, fromCache) = await GetOrCompileAsync(file, key, text, cancellationToken).ConfigureAwait(false);
        if (!compiled.Succeeded)
        {
            return new DagFileResult(file, [], [.. compiled.Errors], fromCache, _time.GetElapsedTime(started)) { Key = key, TemplatesStamp = templatesStamp };
        }

        if (_probe is not null)
        {
            // A process that reads snapshots needs only the definitions: the probe that runs the file keeps them, and
            // the file does not run here as well.
            var verdict = await _probe.CheckAsync(file, key, dataStamp, useSnapshot ? snapshotKey : null, cancellationToken).ConfigureAwait(false);
            if (verdict.Error is { } refused)
            {
                _snapshots.Keep(snapshotKey, file, null);
                return new DagFileResult(file, [], [refused], fromCache, _time.GetElapsedTime(started)) { Key = verdict.Remember ? key : string.Empty, TemplatesStamp = templatesStamp, Ran = true };
            }

            if (useSnapshot && _snapshots.TryRead(snapshotKey, file) is { } probed)
                return new DagFileResult(file, probed, [], fromCache, _time.GetElapsedTime(started)) { Key = key, TemplatesStamp = templatesStamp, FromSnapshot = true, Ran = true };
        }

        var run = await _runner.RunAsync(file, compiled, _options.LoadTimeout, cancellationToken).ConfigureAwait(false);
        if (run.Error is not null)
        {
            // A timeout may be the machine's doing (a busy start): without the key, the file runs again next time.
            _snapshots.Keep(snapshotKey, file, null);
            return new DagFileResult(file, [], [run.Error], fromCache, _time.GetElapsedTime(started)) { Key = run.TimedOut ? string.Empty : key, TemplatesStamp = templatesStamp, Ran = true };
        }

        var (definitions, errors) = _definitions.Build(file, run.Dags);
        _snapshots.Keep(snapshotKey, file, errors.Count > 0 ? null : [.. definitions]);
        return new DagFileResult(file, errors.Count > 0 ? [] : [.. definitions], [.. errors], fromCache, _time.GetElapsedTime(started))
        {
            Key = key,
            TemplatesStamp = templatesStamp,
            Dags = run.Dags,
            Context = run.Context,
            Ran = true,
        };
    }

    private async Task<(CompiledScript Script, bool FromCache)> GetOrCompileAsync(string file, string key, string text, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(key) is { } cached)
        {
            return (cached, true);
        }

        var compiled = (_server is null ? null : await _server.CompileAsync(file, text, cancellationToken).ConfigureAwait(false))
            ?? _compiler.Value.Compile(file, text, cancellationToken);
        _cache.Put(key, compiled);
        return (compiled, false);
    }

    /// <summary>Stops the probe processes and removes the loader's own cache folder, if it made one.</summary>
    public void Dispose()
    {
        _probe?.Dispose();
        if (_ownedCacheFolder is not null)
        {
            try
            {
                Directory.Delete(_ownedCacheFolder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A temporary folder left behind is the system's to clean.
            }
        }
    }

    // The loader lets go of replaced versions and of files that are gone, and that is all: it does not
    // call Unload, because a run may still be executing a task of the old version (the scheduler
    // runs a DAG run to its end on the definition it started with), and an unloading context refuses
    // the assembly loads that task may still need (a #r'd library's first use). A collectible
    // context nothing refers to any more is unloaded and freed by the runtime on its own.
    private void Remember(DagFileResult[] loads) =>
        _previous = loads.ToDictionary(l => l.File, StringComparer.Ordinal);

    // A file with any import error contributes no DAG; a DAG id already taken by an earlier file
    // (in path order) is an import error of the later file.
    private static DagCompilation Combine(DagFileResult[] loads, string displayRoot)
    {
        var owners = new Dictionary<string, DagDefinition>(StringComparer.Ordinal);
        var files = ImmutableArray.CreateBuilder<DagFileLoad>(loads.Length);
        var errors = new List<ImportError>();
        foreach (var load in loads)
        {
            var fileErrors = load.Errors.ToList();
            foreach (var definition in load.Definitions)
            {
                if (owners.TryGetValue(definition.DagId, out var owner))
                {
                    fileErrors.Add(new ImportError
                    {
                        File = load.File,
                        SourceFile = definition.SourceFile,
                        Line = definition.Line,
                        Column = 1,
                        Code = "DAG001",
                        Message = $"DAG id '{definition.DagId}' is already defined in {Path.GetRelativePath(displayRoot, owner.LocationFile)}:{owner.Line}.",
                        SourceText = ScriptFailure.ReadLine(definition.LocationFile, definition.Line),
                    });
                }
            }

            var accepted = fileErrors.Count == 0 ? load.Definitions : [];
            foreach (var definition in accepted)
            {
                owners.Add(definition.DagId, definition);
            }

            errors.AddRange(fileErrors);
            files.Add(new DagFileLoad(load.File, [.. accepted.Select(d => d.DagId)], [.. fileErrors], load.FromCache, load.Duration) { Ran = load.Ran });
        }

        return new DagCompilation
        {
            Definitions = [.. owners.Values.OrderBy(d => d.DagId, StringComparer.Ordinal)],
            Errors = [.. errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column)],
            Files = files.MoveToImmutable(),
        };
    }
}
