using System.Globalization;
using System.Net.Sockets;
using DagRunner.Operators.SparkSubmit.Launch;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace DagRunner.Operators.Ssh;

/// <summary>
/// A command running on an SSH host, its output read line by line as it comes. The command first prints
/// its shell's pid (a marker line, not shown), and that shell is its session's process group leader (sshd
/// starts every command in a session of its own), so stopping it ends the command and everything it started
/// (<c>kill -TERM -pid</c>: a negative pid names the group; POSIX sh takes no <c>--</c> there), over this connection or, when it dropped, a new one. A dropped connection ends
/// <see cref="Ended"/> with <see cref="SubmitEnd.Lost"/>, never an exception: the command may still run there.
/// </summary>
internal sealed class RemoteCommand : IRunningSubmit
{
    private const string PidMarker = "__dagrunner_pid__=";
    private readonly SshSettings _settings;
    private readonly SshClient _client;
    private readonly SshCommand _command;
    private readonly TextWriter _log;
    private long? _started; // the shell's start time (/proc/pid/stat field 22), when the host has /proc

    // Guards a kill over a new connection: the command may have ended and its pid gone to another process.
    private string SameProcess(int pid) => _started is { } started
        ? string.Create(CultureInfo.InvariantCulture, $"[ \"$(cut -d' ' -f22 /proc/{pid}/stat 2>/dev/null)\" = \"{started}\" ] || exit 0; ")
        : "";

    private readonly TaskCompletionSource _pidKnown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RemoteCommand(SshSettings settings, SshClient client, SshCommand command, TextWriter log)
    {
        _settings = settings;
        _client = client;
        _command = command;
        _log = log;
    }

    public int? Pid { get; private set; }

    public Task<SubmitEnd> Ended { get; private set; } = null!;

    /// <summary>Connects and starts <paramref name="script"/> (POSIX shell text, run by <c>/bin/sh</c> on the host);
    /// <paramref name="line"/> gets each output line and whether it came on standard error.</summary>
    public static async Task<RemoteCommand> StartAsync(SshSettings settings, string script, Action<string, bool> line, TextWriter log, CancellationToken cancellationToken)
    {
        var client = await SshSession.ConnectAsync(settings, log, cancellationToken).ConfigureAwait(false);
        SshCommand? command = null;
        try
        {
            // /bin/sh whatever the user's login shell is (csh, fish), exec'd so it keeps the session leader's pid,
            // reading the script from standard input: exported values never appear in a command line that any
            // user of the host could list (ps), only in the channel's encrypted data.
            command = client.CreateCommand("exec /bin/sh -s");
            var running = new RemoteCommand(settings, client, command, log);
            var execution = command.ExecuteAsync(CancellationToken.None);
            await using (var input = command.CreateInputStream())
            {
                // In braces, so the shell reads the whole script before running any of it, and with /dev/null as
                // input, so no command in it (ssh, read) consumes the rest of the script from the same stream.
                await input.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"echo {PidMarker}$$ $(cut -d' ' -f22 /proc/$$/stat 2>/dev/null)\n{{\n{script}\n}} </dev/null\n"), cancellationToken).ConfigureAwait(false);
            }

            var output = running.PumpAsync(command.OutputStream, stderr: false, line);
            var errors = running.PumpAsync(command.ExtendedOutputStream, stderr: true, line);
            running.Ended = running.EndAsync(execution, output, errors);
            // The pid comes first: known before anyone records the start or may have to stop it. Not cancelled
            // by the task's token: once the command was sent, the caller gets it back to stop it.
            try
            {
                await Task.WhenAny(running._pidKnown.Task, running.Ended).WaitAsync(settings.ConnectTimeout, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                log.WriteLine($"[dagrunner] {settings.Address} did not print the command's pid within {settings.ConnectTimeout.TotalSeconds:0} s; it is recorded when it comes.");
            }

            return running;
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            command?.Dispose();
            client.Dispose();
            throw new Sdk.TaskFailedException($"SSH to {settings.Address} (connection '{settings.Id}'): the command could not be started: {e.Message}", e);
        }
        catch (OperationCanceledException)
        {
            command?.Dispose();
            client.Dispose();
            throw;
        }
    }

    /// <summary>Shell text run by <c>/bin/sh</c> whatever the remote user's login shell is.</summary>
    public static string Posix(string script) => "exec /bin/sh -c " + ShellQuote.Quote(script);

    /// <summary>Ends the command's process group: TERM, up to 5 seconds to go, then KILL.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Ended.IsCompleted && Ended.Result.Lost is null)
            return;
        if (Pid is { } pid)
        {
            var kill = string.Create(CultureInfo.InvariantCulture,
                $"{SameProcess(pid)}kill -TERM -{pid} 2>/dev/null || kill -TERM {pid} 2>/dev/null; i=0; while kill -0 {pid} 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; kill -KILL -{pid} 2>/dev/null; kill -KILL {pid} 2>/dev/null; true");
            await RunAsync(_settings, _client.IsConnected ? _client : null, kill, _log, cancellationToken).ConfigureAwait(false);
        }

        if (!Ended.IsCompleted)
            await Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a short command and returns its standard output, on <paramref name="client"/> or a new connection.</summary>
    public static async Task<string> RunAsync(SshSettings settings, SshClient? client, string text, TextWriter log, CancellationToken cancellationToken)
    {
        var own = client is null;
        client ??= await SshSession.ConnectAsync(settings, log, cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = client.CreateCommand(Posix(text));
            await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return command.Result;
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            throw new Sdk.TaskFailedException($"SSH to {settings.Address} (connection '{settings.Id}'): '{text}' failed: {e.Message}", e);
        }
        finally
        {
            if (own)
                client.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        _command.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<SubmitEnd> EndAsync(Task execution, Task output, Task errors)
    {
        string? lost = null;
        try
        {
            await execution.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            lost = $"The SSH connection to {_settings.Address} dropped ({e.Message}).";
            _command.Dispose(); // ends the output streams, so the readers stop
        }

        await Task.WhenAll(output, errors).ConfigureAwait(false);
        if (lost is not null)
            return new SubmitEnd(null, lost);
        if (_command.ExitStatus is { } status)
            return new SubmitEnd(status);
        if (_command.ExitSignal is { } signal)
            return new SubmitEnd(128 + SignalNumber(signal)); // as a shell reports a command a signal ended
        return new SubmitEnd(null, $"The SSH channel to {_settings.Address} closed without an exit status.");
    }

    private async Task PumpAsync(Stream stream, bool stderr, Action<string, bool> line)
    {
        try
        {
            using var reader = new StreamReader(stream, leaveOpen: true);
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } text)
            {
                // Anywhere in the line: a login script may have printed something without a newline first.
                // "<marker><pid> <start time>", the start time empty where the host has no /proc.
                if (!stderr && Pid is null && text.IndexOf(PidMarker, StringComparison.Ordinal) is >= 0 and var at &&
                    text[(at + PidMarker.Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, .. var rest] &&
                    int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    Pid = pid;
                    _started = rest is [var second, ..] && long.TryParse(second, NumberStyles.None, CultureInfo.InvariantCulture, out var started) ? started : null;
                    _pidKnown.TrySetResult();
                    if (at > 0)
                        line(text[..at], stderr);
                    continue;
                }

                line(text, stderr);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or SshException)
        {
            // the connection dropped: EndAsync says so
        }
    }

    private static int SignalNumber(string signal) => signal switch
    {
        "HUP" => 1,
        "INT" => 2,
        "KILL" => 9,
        "PIPE" => 13,
        "TERM" => 15,
        _ => 0,
    };
}
