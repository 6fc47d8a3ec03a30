using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using DagRunner.Scripting.Compilation;
using Microsoft.Extensions.Logging;

namespace DagRunner.Scripting.Serving;

/// <summary>
/// The loader's side of the compile server: asks the server of this build to compile a file, and tells the
/// loader to compile it itself (null) when there is none, or it does not answer in time or answers nonsense.
/// The first time none answers, it stops asking (this process's own compiler is then the warmer of the two), and
/// starts one for the processes after this one once the loader is done compiling (<see cref="StartIfMissing"/>).
/// </summary>
internal sealed partial class CompileServerClient(CompileServerOptions options, CompileServerAddress address, TimeProvider time, ILogger logger)
{
    // Long enough for a large file on a busy server; past it, compiling here is faster than waiting.
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);

    private volatile bool _unavailable;
    private volatile bool _missing;
    private int _started;

    /// <summary>A client for the server of <paramref name="assemblies"/>, or null when its socket path would be too long.</summary>
    public static CompileServerClient? Create(CompileServerOptions options, ScriptAssemblies assemblies, TimeProvider time, ILogger logger) =>
        CompileServerAddress.For(options.Folder, assemblies.Stamp) is { } address ? new CompileServerClient(options, address, time, logger) : null;

    /// <summary>The file compiled by the server, or null: compile it here.</summary>
    public async Task<CompiledScript?> CompileAsync(string file, string text, CancellationToken cancellationToken)
    {
        if (_unavailable)
            return null;
        using var deadline = new CancellationTokenSource(AnswerTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(address.Socket), timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // No server: no socket file, or one that a server which died left behind.
            _unavailable = true;
            _missing = true;
            return null;
        }

        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            await CompileFrames.WriteJsonAsync(stream, new CompileRequest(CompileRequest.Compile, file, text), CompileJsonContext.Default.CompileRequest, timeout.Token).ConfigureAwait(false);
            var reply = await CompileFrames.ReadJsonAsync(stream, CompileJsonContext.Default.CompileReply, timeout.Token).ConfigureAwait(false);
            var image = await CompileFrames.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
            if (reply.Entry is not { } entry)
            {
                LogRefused(logger, file, reply.Error ?? "no reason given");
                return null;
            }

            return entry.ToScript(entry.Errors.Count == 0 && image.Length > 0 ? image : null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _unavailable = true;
            LogSlow(logger, file, AnswerTimeout.TotalSeconds);
            return null;
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or System.Text.Json.JsonException)
        {
            _unavailable = true;
            LogBroken(logger, ex, file);
            return null;
        }
    }

    /// <summary>Asks the server of this build to stop; false when none answered.</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(address.Socket), cancellationToken).ConfigureAwait(false);
            using var stream = new NetworkStream(socket, ownsSocket: false);
            await CompileFrames.WriteJsonAsync(stream, new CompileRequest(CompileRequest.Stop), CompileJsonContext.Default.CompileRequest, cancellationToken).ConfigureAwait(false);
            await CompileFrames.ReadJsonAsync(stream, CompileJsonContext.Default.CompileReply, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts a server for the processes after this one when none answered this one. Called once the loader has
    /// compiled what it was missing, not when the first file found none: a server warming up beside this
    /// process's own compiler would slow this first start down for the next one's sake.
    /// </summary>
    // The server outlives this process, and its standard streams lead nowhere. It warms up at the same priority as
    // everything else: at a lower one (nice) it starved behind the probe processes when a client was waiting for it.
    public void StartIfMissing()
    {
        if (!_missing || !options.StartServer || Interlocked.Exchange(ref _started, 1) == 1)
            return;
        var command = options.Command;
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
            start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--folder");
        start.ArgumentList.Add(address.Folder);
        start.ArgumentList.Add("--idle-timeout-ms");
        start.ArgumentList.Add(((long)options.IdleTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        start.Environment["DOTNET_TieredPGO"] = "0";
        try
        {
            using var process = Process.Start(start);
            process?.StandardInput.Close();
            LogStarted(logger, address.Socket);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            LogNotStarted(logger, ex, command[0]);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Started a compile server at {Socket} for the commands after this one.")]
    private static partial void LogStarted(ILogger logger, string socket);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The compile server could not be started ({Command}); DAG files are compiled in each process.")]
    private static partial void LogNotStarted(ILogger logger, Exception exception, string command);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The compile server did not compile {File} ({Reason}); compiling it here.")]
    private static partial void LogRefused(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The compile server did not answer for {File} within {Seconds} s; this process compiles its files itself.")]
    private static partial void LogSlow(ILogger logger, string file, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The compile server's answer for {File} was broken; this process compiles its files itself.")]
    private static partial void LogBroken(ILogger logger, Exception exception, string file);
}
