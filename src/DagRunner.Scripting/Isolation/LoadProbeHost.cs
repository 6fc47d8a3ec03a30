using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DagRunner.Scripting.Caching;
using DagRunner.Scripting.Compilation;
using DagRunner.Scripting.Loading;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.Scripting.Isolation;

/// <summary>
/// The probe process's side: reads one request per line on standard input, runs that DAG file
/// (compiled, from the compile cache) as the runner would, lets it go, and answers one line on
/// standard output. The process's heap is capped by the runtime (<c>DOTNET_GCHeapHardLimit</c>),
/// so a file that allocates past the limit gets an <see cref="OutOfMemoryException"/> at the line
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
    /// <param name="args">The arguments after <see cref="Verb"/>: <c>--cache DIR --load-timeout-ms N --memory-limit BYTES</c>.</param>
    /// <param name="options">What DAG files see (<see cref="ScriptingOptions.DagAssemblies"/>, <see cref="ScriptingOptions.DagImports"/>):
    /// the same as the runner's, or every request is answered as outdated.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ScriptingOptions options)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        if (!TryParse(args, out var cacheFolder, out var timeout, out var memoryLimit))
        {
            await Console.Error.WriteLineAsync($"usage: dagrunner {Verb} --cache DIR --load-timeout-ms N --memory-limit BYTES").ConfigureAwait(false);
            return 2;
        }

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
        while (await requests.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var request = JsonSerializer.Deserialize(line, ProbeJsonContext.Default.ProbeRequest)
                ?? throw new InvalidDataException("A probe request is null.");
            var reply = await ProbeAsync(request, cache, compiler, runner, timeout, memoryLimit).ConfigureAwait(false);
            await answers.WriteLineAsync(JsonSerializer.Serialize(reply, ProbeJsonContext.Default.ProbeReply)).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<ProbeReply> ProbeAsync(ProbeRequest request, CompileCache cache, Lazy<ScriptCompiler> compiler, ScriptRunner runner, TimeSpan timeout, long memoryLimit)
    {
        ProbeReply reply;
        try
        {
            reply = await RunFileAsync(request, cache, compiler, runner, timeout, memoryLimit).ConfigureAwait(false);
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

    private static async Task<ProbeReply> RunFileAsync(ProbeRequest request, CompileCache cache, Lazy<ScriptCompiler> compiler, ScriptRunner runner, TimeSpan timeout, long memoryLimit)
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

    internal static string OverLimit(long memoryLimit) =>
        $"The file needed more than the load memory limit of {LoadProbeOptions.Describe(memoryLimit)} while loading and was stopped " +
        "(raise loadMemoryLimitMb, or read less at load time: a task can read its data when it runs).";

    private static bool TryParse(IReadOnlyList<string> args, out string cacheFolder, out TimeSpan timeout, out long memoryLimit)
    {
        cacheFolder = string.Empty;
        timeout = TimeSpan.Zero;
        memoryLimit = 0;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--cache":
                    cacheFolder = args[i + 1];
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
