using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DagRunner.Scripting.Caching;
using DagRunner.Scripting.Compilation;
using DagRunner.Scripting.Definitions;
using DagRunner.Scripting.Loading;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.Scripting.Isolation;

/// <summary>
/// The probe process's side: reads one request per line on standard input, runs that DAG file
/// (compiled, from the compile cache) as the runner would, lets it go, and answers one line on
/// standard output. Asked to (<see cref="ProbeRequest.Snapshot"/>), it also builds the definitions of a file
/// that loaded, its templates checked as the runner checks them, and keeps them as the runner's snapshot.
/// The process's heap is capped by the runtime (<c>DOTNET_GCHeapHardLimit</c>), so a file that allocates past the limit gets an <see cref="OutOfMemoryException"/> at the line
/// that did it. What a file prints goes to standard error, never into the answers.
/// </summary>
public static class LoadProbeHost
{
    /// <summary>The hidden first argument that makes the <c>dagrunner</c> executable a probe process.</summary>
    public const string Verb = "__load-probe";

    // The file being run, for the handlers that see the process end: they can still say where.
    private static volatile Running? s_running;

    private sealed record Running(string File, ColumnMap Columns);

    /// <summary>Serves requests until standard input closes; returns the exit code.</summary>
    /// <param name="args">The arguments after <see cref="Verb"/>: <c>--cache DIR [--templates DIR] --load-timeout-ms N --memory-limit BYTES</c>.</param>
    /// <param name="optionsFor">What DAG files see (<see cref="ScriptingOptions.DagAssemblies"/>, <see cref="ScriptingOptions.DagImports"/>),
    /// the same as the runner's (or every request is answered as outdated), and how their templates are checked
    /// (<see cref="ScriptingOptions.TemplateCheck"/>), given the runner's templates folder (null when none was given).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string?, ScriptingOptions> optionsFor)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(optionsFor);
        if (!TryParse(args, out var cacheFolder, out var templatesFolder, out var timeout, out var memoryLimit))
        {
            await Console.Error.WriteLineAsync($"usage: dagrunner {Verb} --cache DIR [--templates DIR] --load-timeout-ms N --memory-limit BYTES").ConfigureAwait(false);
            return 2;
        }

        var options = optionsFor(templatesFolder);

        // The answers own standard output and the requests standard input: a file that prints or
        // reads the console must not reach either.
        using var answers = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        using var requests = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
        Console.SetOut(Console.Error);
        Console.SetIn(TextReader.Null);
        AppDomain.CurrentDomain.UnhandledException += (_, e) => ReportFatal(e.ExceptionObject as Exception);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ReportFatal(null);

        var assemblies = ScriptAssemblies.From(options);
        var cache = new CompileCache(cacheFolder, assemblies, NullLogger.Instance);
        var compiler = new Lazy<ScriptCompiler>(() => new ScriptCompiler(assemblies));
        var runner = new ScriptRunner(TimeProvider.System);
        // Snapshot keys come with the requests (the runner's), so this side needs no stamp of its own.
        var snapshots = new DefinitionSnapshots(DefinitionSnapshots.FolderIn(cacheFolder), builderStamp: string.Empty, NullLogger.Instance);
        var definitions = new SnapshotWriter(new DefinitionBuilder(options.TemplateCheck), snapshots);
        while (await requests.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var request = JsonSerializer.Deserialize(line, ProbeJsonContext.Default.ProbeRequest)
                ?? throw new InvalidDataException("A probe request is null.");
            var reply = await ProbeAsync(request, cache, compiler, runner, definitions, timeout, memoryLimit).ConfigureAwait(false);
            await answers.WriteLineAsync(JsonSerializer.Serialize(reply, ProbeJsonContext.Default.ProbeReply)).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<ProbeReply> ProbeAsync(ProbeRequest request, CompileCache cache, Lazy<ScriptCompiler> compiler, ScriptRunner runner, SnapshotWriter definitions, TimeSpan timeout, long memoryLimit)
    {
        ProbeReply reply;
        try
        {
            reply = await RunFileAsync(request, cache, compiler, runner, definitions, timeout, memoryLimit).ConfigureAwait(false);
        }
        catch (OutOfMemoryException)
        {
            // Past the limit outside the file's own frames (reading a huge cache entry, say).
            reply = new ProbeReply(request.File, ProbeOutcome.OutOfMemory, new() { File = request.File, Message = OverLimit(memoryLimit) }, 0);
        }

        // What a file kept past its load (a static, a task still running) counts against the next
        // files: the runner replaces a probe whose heap stays high. Collecting after every file would
        // cost more than the files themselves, so only a heap that looks high is collected first.
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        if (heap > memoryLimit / 8)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            heap = GC.GetTotalMemory(forceFullCollection: true);
        }

        return reply with { HeapBytes = heap };
    }

    private static async Task<ProbeReply> RunFileAsync(ProbeRequest request, CompileCache cache, Lazy<ScriptCompiler> compiler, ScriptRunner runner, SnapshotWriter definitions, TimeSpan timeout, long memoryLimit)
    {
        // A dagrunner replaced under a running scheduler: this process's code is not the runner's,
        // so what it would say of the file is not about what the runner would run.
        if (request.Environment != cache.EnvironmentStamp)
            return new ProbeReply(request.File, ProbeOutcome.Outdated, null, 0);
        var compiled = cache.TryGet(request.Key);
        if (compiled is null)
        {
            // The runner could not write its cache: compile the same text here.
            var text = await File.ReadAllTextAsync(request.File).ConfigureAwait(false);
            if (cache.ComputeKey(request.File, text) != request.Key)
                return new ProbeReply(request.File, ProbeOutcome.Changed, null, 0);
            compiled = compiler.Value.Compile(request.File, text, CancellationToken.None);
        }

        if (!compiled.Succeeded)
            return new ProbeReply(request.File, ProbeOutcome.Failed, compiled.Errors.Count > 0 ? compiled.Errors[0] : new() { File = request.File, Message = "The file did not compile." }, 0);

        s_running = new Running(request.File, compiled.Columns);
        ScriptRun run;
        try
        {
            run = await runner.RunAsync(request.File, compiled, timeout, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            s_running = null;
        }

        if (run.Error is null && request.Snapshot is { } snapshot)
            definitions.Keep(request.File, snapshot, run.Dags);
        run.Context?.Unload();
        if (run.Error is not { } error)
            return new ProbeReply(request.File, ProbeOutcome.Loaded, null, 0);
        if (run.OutOfMemory)
            return new ProbeReply(request.File, ProbeOutcome.OutOfMemory, error with { Message = OverLimit(memoryLimit) }, 0);
        return new ProbeReply(request.File, run.TimedOut ? ProbeOutcome.TimedOut : ProbeOutcome.Failed, error, 0);
    }

    // The process is ending while a file runs: an exception nothing caught (on a thread or callback
    // the file started) or an exit (through reflection or a library; a direct call is refused at
    // compile time). Its place in the file goes to standard error, where the runner looks for it.
    private static void ReportFatal(Exception? exception)
    {
        if (s_running is not { } running)
            return;
        var error = exception is null
            ? ScriptFailure.FromStackTrace(running.File, new StackTrace(fNeedFileInfo: true), running.Columns,
                "The file ended the process that loaded it (Environment.Exit, called through reflection or a library): it would end the runner.")
            : ScriptFailure.FromException(running.File, exception, running.Columns,
                $"An exception nothing caught ended the process that loaded the file (on a thread or callback it started): {ScriptFailure.Unwrap(exception).GetType().Name}: {ScriptFailure.Unwrap(exception).Message}. It would end the runner.");
        Console.Error.WriteLine(ProbeDeath.LocatedMarker + JsonSerializer.Serialize(error, ProbeJsonContext.Default.ImportError));
        Console.Error.Flush();
    }

    // What a file that loaded built, kept as the runner's snapshot; a file whose definitions have errors removes
    // what an earlier run left there, as the runner does, and the runner then runs it and reports them itself.
    private sealed class SnapshotWriter(DefinitionBuilder builder, DefinitionSnapshots snapshots)
    {
        public void Keep(string file, string snapshot, IReadOnlyList<DagRunner.Sdk.Dag> dags)
        {
            try
            {
                var (built, errors) = builder.Build(file, dags);
                snapshots.Keep(snapshot, file, errors.Count > 0 ? null : [.. built]);
            }
#pragma warning disable CA1031 // Whatever building them threw is the runner's to see: it finds no snapshot, runs the file and builds them itself.
            catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                snapshots.Keep(snapshot, file, null);
            }
        }
    }

    internal static string OverLimit(long memoryLimit) =>
        $"The file needed more than the load memory limit of {LoadProbeOptions.Describe(memoryLimit)} while loading and was stopped " +
        "(raise loadMemoryLimitMb, or read less at load time: a task can read its data when it runs).";

    private static bool TryParse(IReadOnlyList<string> args, out string cacheFolder, out string? templatesFolder, out TimeSpan timeout, out long memoryLimit)
    {
        cacheFolder = string.Empty;
        templatesFolder = null;
        timeout = TimeSpan.Zero;
        memoryLimit = 0;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--cache":
                    cacheFolder = args[i + 1];
                    break;
                case "--templates":
                    templatesFolder = args[i + 1];
                    break;
                case "--load-timeout-ms" when long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0:
                    timeout = TimeSpan.FromMilliseconds(ms);
                    break;
                case "--memory-limit" when long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0:
                    memoryLimit = bytes;
                    break;
                default:
                    return false;
            }
        }

        return cacheFolder.Length > 0 && timeout > TimeSpan.Zero && memoryLimit > 0;
    }
}
