using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using DagRunner.Engine.Definitions;
using DagRunner.Operators.Templates;
using DagRunner.Scripting.Caching;
using DagRunner.Scripting.Compilation;
using DagRunner.Scripting.Definitions;
using DagRunner.Scripting.Discovery;
using DagRunner.Scripting.Loading;
using DagRunner.Templating;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.Scripting;

/// <summary>
/// Loads a DAGs folder: finds the files, takes each compiled file from the cache or compiles
/// the missing ones in parallel, runs every file in its own collectible load context under the
/// load timeout, and builds and checks the definitions.
/// </summary>
public sealed class DagFolderLoader
{
    private readonly ScriptingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CompileCache _cache;
    private readonly ScriptRunner _runner;
    private readonly DefinitionBuilder _definitions;

    // The compiler is created on the first cache miss only: a start served from the cache never
    // loads Roslyn.
    private readonly Lazy<ScriptCompiler> _compiler = new(() => new ScriptCompiler(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Creates a loader. <paramref name="templates"/> parses the DAGs' templates (sharing its
    /// cache with the runner that renders them); by default one over <see cref="ScriptingOptions.TemplatesFolder"/>.</summary>
    public DagFolderLoader(ScriptingOptions options, TimeProvider timeProvider, ILogger<DagFolderLoader>? logger = null, TaskTemplates? templates = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _cache = new CompileCache(options.CacheFolder is null ? null : Path.GetFullPath(options.CacheFolder), _logger);
        _runner = new ScriptRunner(timeProvider);
        _definitions = new DefinitionBuilder(templates ?? new TaskTemplates(new TemplateLibrary(new TemplateOptions { TemplatesFolder = options.TemplatesFolder })));
    }

    /// <summary>Loads every DAG file in the folder.</summary>
    public async Task<DagCompilation> LoadAsync(CancellationToken cancellationToken)
    {
        var files = DagFileDiscovery.Find(_options.DagsFolder);
        var loads = new DagFileResult[files.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken },
            async (i, ct) => loads[i] = await LoadFileAsync(files[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return Combine(loads, Path.GetDirectoryName(Path.GetFullPath(_options.DagsFolder)) ?? string.Empty);
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
                if (!GetOrCompile(file, text, ct).FromCache)
                {
                    Interlocked.Increment(ref compiled);
                }
            }).ConfigureAwait(false);
        return compiled;
    }

    private async Task<DagFileResult> LoadFileAsync(string file, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DagFileResult.Failed(file, new ImportError { File = file, Message = $"The file cannot be read: {ex.Message}" }, clock.Elapsed);
        }

        var (compiled, fromCache) = GetOrCompile(file, text, cancellationToken);
        if (!compiled.Succeeded)
        {
            return new DagFileResult(file, [], [.. compiled.Errors], fromCache, clock.Elapsed);
        }

        var run = await _runner.RunAsync(file, compiled, _options.LoadTimeout, cancellationToken).ConfigureAwait(false);
        if (run.Error is not null)
        {
            return new DagFileResult(file, [], [run.Error], fromCache, clock.Elapsed);
        }

        var (definitions, errors) = _definitions.Build(file, run.Dags);
        if (errors.Count > 0)
        {
            run.Context?.Unload();
            return new DagFileResult(file, [], [.. errors], fromCache, clock.Elapsed);
        }

        return new DagFileResult(file, [.. definitions], [], fromCache, clock.Elapsed) { Context = run.Context };
    }

    private (CompiledScript Script, bool FromCache) GetOrCompile(string file, string text, CancellationToken cancellationToken)
    {
        var key = CompileCache.ComputeKey(file, text);
        if (_cache.TryGet(key) is { } cached)
        {
            return (cached, true);
        }

        var compiled = _compiler.Value.Compile(file, text, cancellationToken);
        _cache.Put(key, compiled);
        return (compiled, false);
    }

    // A file with any import error contributes no DAG; a DAG id already taken by an earlier file
    // (in path order) is an import error of the later file.
    private static DagCompilation Combine(DagFileResult[] loads, string displayRoot)
    {
        var owners = new Dictionary<string, DagDefinition>(StringComparer.Ordinal);
        var files = ImmutableArray.CreateBuilder<DagFileLoad>(loads.Length);
        var errors = new List<ImportError>();
        var contexts = new List<System.Runtime.Loader.AssemblyLoadContext>();
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
            if (accepted.IsEmpty)
            {
                // Nothing of the file is kept, so nothing keeps its code loaded.
                load.Context?.Unload();
            }
            else if (load.Context is not null)
            {
                contexts.Add(load.Context);
            }

            foreach (var definition in accepted)
            {
                owners.Add(definition.DagId, definition);
            }

            errors.AddRange(fileErrors);
            files.Add(new DagFileLoad(load.File, [.. accepted.Select(d => d.DagId)], [.. fileErrors], load.FromCache, load.Duration));
        }

        return new DagCompilation
        {
            Definitions = [.. owners.Values.OrderBy(d => d.DagId, StringComparer.Ordinal)],
            Errors = [.. errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column)],
            Files = files.MoveToImmutable(),
            LoadContexts = [.. contexts],
        };
    }

    private sealed record DagFileResult(string File, ImmutableArray<DagDefinition> Definitions, ImmutableArray<ImportError> Errors, bool FromCache, TimeSpan Duration)
    {
        public ScriptLoadContext? Context { get; init; }

        public static DagFileResult Failed(string file, ImportError error, TimeSpan duration) => new(file, [], [error], false, duration);
    }
}

