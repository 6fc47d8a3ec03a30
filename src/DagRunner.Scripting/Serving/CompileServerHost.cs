using System.Globalization;
using System.Net.Sockets;
using DagRunner.Scripting.Caching;
using DagRunner.Scripting.Compilation;

namespace DagRunner.Scripting.Serving;

/// <summary>
/// The compile server's side (<see cref="CompileServerOptions"/>): listens on its socket, compiles each DAG file
/// it is asked for with one compiler kept warm for its whole life, and ends when nothing was asked for the idle
/// timeout, when asked to stop, or when another server already serves its socket. It only compiles: no DAG
/// code runs here (the load probe and the runner run it).
/// </summary>
public static class CompileServerHost
{
    /// <summary>The hidden first argument that makes the <c>dagrunner</c> executable a compile server.</summary>
    public const string Verb = "__compile-server";

    // Compiled once the server is up, so the first file asked for finds the compiler's own code already compiled.
    private const string WarmUpText = """
        var dag = new Dag("compile-server-warm-up") { Description = $"warm-up {1 + 1}", Schedule = "@daily", Tags = { "a", "b" } };
        var names = new List<string> { "first", "second" };
        Func<int, int> twice = x => x * 2;
        var total = names.Select((name, i) => name.Length + twice(i)).Where(n => n > 0).Sum();
        string Describe(string text) => text.ToUpperInvariant() + total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var described = Describe(dag.DagId);
        """;

    /// <summary>Serves until idle, stopped or not needed; returns the exit code.</summary>
    /// <param name="args">The arguments after <see cref="Verb"/>: <c>--folder DIR --idle-timeout-ms N</c>.</param>
    /// <param name="options">What DAG files see: the same as the clients' (the socket is named after it).</param>
    /// <param name="time">The clock of the idle timeout.</param>
    /// <param name="cancellationToken">Stops the server.</param>
    public static Task<int> RunAsync(IReadOnlyList<string> args, ScriptingOptions options, TimeProvider time, CancellationToken cancellationToken = default) =>
        RunAsync(args, options, time, listening: null, cancellationToken);

    /// <summary>As <see cref="RunAsync(IReadOnlyList{string}, ScriptingOptions, TimeProvider, CancellationToken)"/>;
    /// <paramref name="listening"/> is called once the socket accepts connections.</summary>
    internal static async Task<int> RunAsync(IReadOnlyList<string> args, ScriptingOptions options, TimeProvider time, Action? listening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (!TryParse(args, out var folder, out var idle))
        {
            await Console.Error.WriteLineAsync($"usage: dagrunner {Verb} --folder DIR --idle-timeout-ms N").ConfigureAwait(false);
            return 2;
        }

        var assemblies = ScriptAssemblies.From(options);
        if (CompileServerAddress.For(folder, assemblies.Stamp) is not { } address)
        {
            await Console.Error.WriteLineAsync($"The compile server's socket path under {folder} is too long.").ConfigureAwait(false);
            return 2;
        }

        address.CreateFolder();
        // One server per socket: the lock is held for the server's life, and the runtime lets it go when the
        // process ends however it ends, so a socket file left behind by a server that died is taken over.
        FileStream held;
        try
        {
            held = new FileStream(address.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return 0;
        }

        using (held)
        {
            File.Delete(address.Socket);
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(address.Socket));
            listener.Listen(64);
            listening?.Invoke();
            using var server = new Server(new ScriptCompiler(assemblies), time, idle, cancellationToken);
            try
            {
                await server.ServeAsync(listener).ConfigureAwait(false);
            }
            finally
            {
                // Only the socket this server bound: a server that took over has another file by now.
                TryDelete(address.Socket);
            }
        }

        return 0;
    }

    /// <summary>Asks the server that compiles for <paramref name="options"/> (this build) to stop; false when none answered.</summary>
    public static async Task<bool> StopAsync(ScriptingOptions options, CompileServerOptions server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(server);
        var client = CompileServerClient.Create(server, ScriptAssemblies.From(options), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        return client is not null && await client.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Taken over: the next server removes it when it binds.
        }
    }

    private static bool TryParse(IReadOnlyList<string> args, out string folder, out TimeSpan idle)
    {
        folder = string.Empty;
        idle = CompileServerOptions.DefaultIdleTimeout;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--folder":
                    folder = args[i + 1];
                    break;
                case "--idle-timeout-ms" when long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0:
                    idle = TimeSpan.FromMilliseconds(ms);
                    break;
                default:
                    return false;
            }
        }

        return folder.Length > 0 && args.Count % 2 == 0;
    }

    private sealed class Server(ScriptCompiler compiler, TimeProvider time, TimeSpan idle, CancellationToken cancellationToken) : IDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        private readonly SemaphoreSlim _compiling = new(Environment.ProcessorCount, Environment.ProcessorCount);
        private long _lastActivity = time.GetTimestamp();
        private int _active;

        public async Task ServeAsync(Socket listener)
        {
            var watch = WatchIdleAsync();
            var warmUp = Task.Run(WarmUp, _stop.Token);
            var connections = new List<Task>();
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var connection = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                    Touch(+1);
                    connections.RemoveAll(c => c.IsCompleted);
                    connections.Add(Task.Run(() => AnswerAsync(connection)));
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Idle, stopped, or the host is going away.
            }

            await Task.WhenAll(connections).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await warmUp.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        private void WarmUp()
        {
            for (var i = 0; i < 3 && !_stop.IsCancellationRequested; i++)
                compiler.Compile($"compile-server-warm-up-{i}.csx", WarmUpText, _stop.Token);
        }

        private async Task AnswerAsync(Socket connection)
        {
            try
            {
                using var stream = new NetworkStream(connection, ownsSocket: true);
                var request = await CompileFrames.ReadJsonAsync(stream, CompileJsonContext.Default.CompileRequest, _stop.Token).ConfigureAwait(false);
                if (request.Kind == CompileRequest.Stop)
                {
                    await CompileFrames.WriteJsonAsync(stream, new CompileReply(null), CompileJsonContext.Default.CompileReply, _stop.Token).ConfigureAwait(false);
                    await _stop.CancelAsync().ConfigureAwait(false);
                    return;
                }

                var (reply, image) = await CompileAsync(request).ConfigureAwait(false);
                await CompileFrames.WriteJsonAsync(stream, reply, CompileJsonContext.Default.CompileReply, _stop.Token).ConfigureAwait(false);
                await CompileFrames.WriteAsync(stream, image ?? [], _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or System.Text.Json.JsonException or OperationCanceledException or ObjectDisposedException)
            {
                // A client that went away or spoke nonsense: its own loss (it compiles itself).
            }
            finally
            {
                Touch(-1);
            }
        }

        private async Task<(CompileReply Reply, byte[]? Image)> CompileAsync(CompileRequest request)
        {
            if (request is not { Kind: CompileRequest.Compile, File: { Length: > 0 } file, Text: { } text })
                return (new CompileReply(null, "A compile request needs a file and its text."), null);
            await _compiling.WaitAsync(_stop.Token).ConfigureAwait(false);
            try
            {
                var compiled = compiler.Compile(file, text, _stop.Token);
                return (new CompileReply(CacheEntry.Of(compiled)), compiled.Image);
            }
#pragma warning disable CA1031 // Whatever the compiler threw is the client's answer: it then compiles itself and sees it there.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                return (new CompileReply(null, $"{ex.GetType().Name}: {ex.Message}"), null);
            }
            finally
            {
                _compiling.Release();
            }
        }

        private void Touch(int change)
        {
            Interlocked.Add(ref _active, change);
            Interlocked.Exchange(ref _lastActivity, time.GetTimestamp());
        }

        private async Task WatchIdleAsync()
        {
            var step = TimeSpan.FromTicks(Math.Max(idle.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks));
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(step, time, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (Volatile.Read(ref _active) == 0 && time.GetElapsedTime(Interlocked.Read(ref _lastActivity)) >= idle)
                    await _stop.CancelAsync().ConfigureAwait(false);
            }
        }

        public void Dispose()
        {
            _stop.Dispose();
            _compiling.Dispose();
        }
    }
}
