using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DagRunner.Testing.Ssh;

/// <summary>
/// A real OpenSSH server (Debian's <c>/usr/sbin/sshd</c>) on a loopback port, with its own host key,
/// a user key it accepts and one it does not: SSH operators are tested against the real protocol,
/// never a mock. It logs in as the current user, so it works as root (CI) and unprivileged (locally).
/// </summary>
public sealed class SshServer : IAsyncDisposable
{
    private const string SshdPath = "/usr/sbin/sshd";
    private const string KeygenPath = "/usr/bin/ssh-keygen";

    /// <summary>sshd running as root refuses to start without it (it chroots its pre-auth child there);
    /// unprivileged sshd does not use it.</summary>
    private const string PrivilegeSeparationDirectory = "/run/sshd";

    private const int PortAttempts = 3;
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KillDeadline = TimeSpan.FromSeconds(5);

    private readonly TempFolder _folder;
    private readonly Process _listener;
    private readonly SshdLog _log;
    // The user commands a cut left running, with their start times: killed at the end only if still the same
    // process (pids wrap at 32768 on these machines; a reused pid is another test's process).
    private readonly List<ProcessTable.Entry> _orphanedCommands = [];

    private SshServer(TempFolder folder, Process listener, SshdLog log, int port, string hostPublicKey, string hostKeyFingerprint)
    {
        _folder = folder;
        _listener = listener;
        _log = log;
        Port = port;
        HostPublicKey = hostPublicKey;
        HostKeyFingerprint = hostKeyFingerprint;
        KnownHostsFile = folder.Write("known_hosts", $"{KnownHostsLine(Host, port, hostPublicKey)}\n");
        EcdsaKnownHostsFile = folder.Write("known_hosts_ecdsa", $"{KnownHostsLine(Host, port, File.ReadAllText(folder["host_ecdsa.pub"]).Trim())}\n");
    }

    /// <summary>A known_hosts file that knows the server by its second host key only (ECDSA): a client must
    /// ask for that key type, as OpenSSH's does, rather than refuse the ed25519 key it prefers.</summary>
    public string EcdsaKnownHostsFile { get; }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    /// <summary>The account to log in as: the one running the tests (sshd can only switch users as root).</summary>
    public string UserName { get; } = Environment.UserName;

    /// <summary>The private key (OpenSSH format, ed25519, no passphrase) listed in the server's authorized_keys.</summary>
    public string UserKeyFile => _folder["user_ed25519"];

    /// <summary>A valid private key the server does not know: for "wrong key" tests.</summary>
    public string OtherKeyFile => _folder["other_ed25519"];

    /// <summary>A known_hosts file with the single line <c>[127.0.0.1]:port ssh-ed25519 AAAA...</c>.</summary>
    public string KnownHostsFile { get; }

    /// <summary>The host key's fingerprint as <c>ssh-keygen -lf</c> prints it: <c>SHA256:...</c>.</summary>
    public string HostKeyFingerprint { get; }

    /// <summary>The host public key line: <c>ssh-ed25519 AAAA... comment</c>.</summary>
    public string HostPublicKey { get; }

    /// <summary>The listening sshd; each connection is served by a child of it.</summary>
    public int ListenerPid => _listener.Id;

    /// <summary>What sshd wrote (LogLevel VERBOSE): read it when a test fails to see why.</summary>
    public string Log => _log.ToString();

    /// <summary>Generates the keys, writes the configuration and starts sshd; returns once it answers
    /// with an SSH banner on its port.</summary>
    public static async Task<SshServer> StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(SshdPath))
            throw new InvalidOperationException($"the SSH tests need Debian's openssh-server (apt-get install -y openssh-server): {SshdPath} is missing");

        var folder = new TempFolder("dagrunner-sshd");
        try
        {
            EnsurePrivilegeSeparationDirectory();
            await Task.WhenAll(
                GenerateKeyAsync(folder["host_ed25519"], "dagrunner-test-host", cancellationToken),
                GenerateKeyAsync(folder["host_ecdsa"], "dagrunner-test-host", cancellationToken, "ecdsa"),
                GenerateKeyAsync(folder["user_ed25519"], "dagrunner-test-user", cancellationToken),
                GenerateKeyAsync(folder["other_ed25519"], "dagrunner-test-other", cancellationToken));
            var userPublicKey = await File.ReadAllTextAsync(folder["user_ed25519.pub"], cancellationToken);
            folder.Write("authorized_keys", userPublicKey);
            var hostPublicKey = (await File.ReadAllTextAsync(folder["host_ed25519.pub"], cancellationToken)).Trim();
            var fingerprint = await FingerprintAsync(folder["host_ed25519.pub"], cancellationToken);

            for (var attempt = 1; ; attempt++)
            {
                var port = PickFreePort();
                var config = folder.Write("sshd_config", Configuration(folder, port));
                var log = new SshdLog();
                var listener = StartSshd(config, log);
                var outcome = await WaitUntilReadyAsync(listener, port, log, cancellationToken);
                if (outcome == Startup.Ready)
                    return new SshServer(folder, listener, log, port, hostPublicKey, fingerprint);

                await StopAsync(listener);
                // Another process took the port between our probe and sshd's bind: pick another.
                if (outcome == Startup.PortTaken && attempt < PortAttempts)
                    continue;
                throw new InvalidOperationException(
                    $"sshd did not come up on 127.0.0.1:{port} within {StartupDeadline.TotalSeconds:0} s ({outcome}). Its log:\n{log}");
            }
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Cuts every SSH connection as a network failure would: SIGKILLs the per-connection sshd processes
    /// (the listener's children and the sshd children privilege separation puts under them), but not
    /// the user's commands below them, which keep running. Returns how many processes were killed, once
    /// they are dead. The orphaned commands are killed when the server is disposed.
    /// </summary>
    public async Task<int> KillSessionsAsync(CancellationToken cancellationToken = default)
    {
        var table = ProcessTable.Read();
        var sessions = table.Descendants(ListenerPid, p => p.Command == "sshd").ToList();
        var commands = table.All.Where(p => p.Command != "sshd" && sessions.Any(s => s.Pid == p.ParentPid)).ToList();
        _orphanedCommands.AddRange(commands);

        var killed = sessions.Where(session => TryKill(session.Pid)).Select(session => session.Pid).ToList();
        await WaitUntilDeadAsync(killed, cancellationToken);
        return killed.Count;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _orphanedCommands)
        {
            if (!ProcessTable.IsSame(command) || TryGetProcess(command.Pid) is not { } process)
                continue;
            KillTree(process);
            process.Dispose();
        }

        await StopAsync(_listener);
        _folder.Dispose();
    }

    private static string Configuration(TempFolder folder, int port) =>
        string.Join('\n',
            "ListenAddress 127.0.0.1",
            $"Port {port.ToString(CultureInfo.InvariantCulture)}",
            $"HostKey {folder["host_ed25519"]}",
            $"HostKey {folder["host_ecdsa"]}",
            $"AuthorizedKeysFile {folder["authorized_keys"]}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication yes",
            "KbdInteractiveAuthentication no",
            // PAM needs root and a login session (pam_loginuid fails in containers); without it sshd
            // checks /etc/shadow itself, which an unprivileged sshd cannot read, so it skips the check.
            "UsePAM no",
            // The temp folder and keys belong to whoever runs the tests, not to the target account's rules.
            "StrictModes no",
            $"PidFile {folder["sshd.pid"]}",
            "PermitRootLogin yes",
            "LogLevel VERBOSE",
            "ClientAliveInterval 5",
            "MaxSessions 20",
            "MaxStartups 50",
            // No reverse DNS of 127.0.0.1, no motd or lastlog: nothing slow or machine-dependent per login.
            "UseDNS no",
            "PrintMotd no",
            "PrintLastLog no",
            "Subsystem sftp /usr/lib/openssh/sftp-server",
            "");

    /// <summary>As root, sshd exits at once with "Missing privilege separation directory: /run/sshd"
    /// (a tmpfs the system service would create); as an ordinary user it never looks there.</summary>
    private static void EnsurePrivilegeSeparationDirectory()
    {
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess || Directory.Exists(PrivilegeSeparationDirectory))
            return;
        Directory.CreateDirectory(PrivilegeSeparationDirectory);
        File.SetUnixFileMode(PrivilegeSeparationDirectory,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <summary>ssh-keygen writes the private key in OpenSSH format, mode 0600 (both sshd and the ssh
    /// client refuse a private key others can read), and the public key beside it as <c>.pub</c>.</summary>
    private static async Task GenerateKeyAsync(string path, string comment, CancellationToken cancellationToken, string type = "ed25519") =>
        await RunAsync(KeygenPath, ["-q", "-t", type, "-N", "", "-C", comment, "-f", path], cancellationToken);

    private static async Task<string> FingerprintAsync(string publicKeyFile, CancellationToken cancellationToken)
    {
        // "256 SHA256:abc... comment (ED25519)"
        var line = await RunAsync(KeygenPath, ["-l", "-f", publicKeyFile], cancellationToken);
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    }

    private static string KnownHostsLine(string host, int port, string publicKey)
    {
        var fields = publicKey.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)} {fields[0]} {fields[1]}";
    }

    /// <summary>A port free a moment ago; sshd may still lose it to another process, hence the retries.</summary>
    private static int PickFreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
            probe.Dispose();
        }
    }

    private static Process StartSshd(string config, SshdLog log)
    {
        // -D: stay in the foreground as our child; -e: log to stderr instead of syslog.
        var start = new ProcessStartInfo(SshdPath)
        {
            ArgumentList = { "-D", "-e", "-f", config },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => log.Append(e.Data);
        process.ErrorDataReceived += (_, e) => log.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private enum Startup
    {
        Ready,
        PortTaken,
        Exited,
        TimedOut,
    }

    /// <summary>Ready when sshd says it listens on our port (not someone else who took it) and a
    /// connection there gets an SSH banner.</summary>
    private static async Task<Startup> WaitUntilReadyAsync(Process sshd, int port, SshdLog log, CancellationToken cancellationToken)
    {
        var listening = $"Server listening on 127.0.0.1 port {port.ToString(CultureInfo.InvariantCulture)}";
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupDeadline)
        {
            if (sshd.HasExited)
            {
                await sshd.WaitForExitAsync(cancellationToken); // flushes the rest of its log
                return log.ToString().Contains("Address already in use", StringComparison.Ordinal) ? Startup.PortTaken : Startup.Exited;
            }

            if (log.ToString().Contains(listening, StringComparison.Ordinal) && await AnswersBannerAsync(port, cancellationToken))
                return Startup.Ready;
            await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
        }

        return Startup.TimedOut;
    }

    private static async Task<bool> AnswersBannerAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            var received = new StringBuilder();
            var buffer = new byte[256];
            while (!received.ToString().Contains('\n', StringComparison.Ordinal) && received.Length < 255)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                    break;
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return received.ToString().StartsWith("SSH-2.0-", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private static async Task StopAsync(Process sshd)
    {
        KillTree(sshd);
        await sshd.WaitForExitAsync(CancellationToken.None);
        sshd.Dispose();
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private static Process? TryGetProcess(int pid)
    {
        try
        {
            return Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return null; // exited meanwhile
        }
    }

    private static bool TryKill(int pid)
    {
        using var process = TryGetProcess(pid);
        if (process is null)
            return false;
        try
        {
            process.Kill(); // SIGKILL on Unix
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>SIGKILL is asynchronous; a connection is cut once its process is gone or a zombie
    /// (dead, sockets closed, not yet reaped: a grandchild's new parent may never reap it).</summary>
    private static async Task WaitUntilDeadAsync(IReadOnlyCollection<int> pids, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (pids.Any(ProcessTable.IsAlive))
        {
            if (deadline.Elapsed > KillDeadline)
                throw new TimeoutException($"sshd processes {string.Join(", ", pids.Where(ProcessTable.IsAlive))} outlived SIGKILL by {KillDeadline.TotalSeconds:0} s");
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }

    private static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', start.ArgumentList)} exited with code {process.ExitCode}: {await error}");
        return (await output).Trim();
    }

    /// <summary>sshd's stderr, written by the process's reader threads while tests read it.</summary>
    private sealed class SshdLog
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _text = new();

        public void Append(string? line)
        {
            if (line is null)
                return;
            lock (_lock)
                _text.Append(line).Append('\n');
        }

        public override string ToString()
        {
            lock (_lock)
                return _text.ToString();
        }
    }

    /// <summary>A snapshot of /proc: who is whose parent, by executable name (sshd re-titles its
    /// processes, but their <c>comm</c> stays "sshd").</summary>
    private sealed class ProcessTable
    {
        private ProcessTable(List<Entry> all) => All = all;

        public List<Entry> All { get; }

        public static ProcessTable Read()
        {
            var entries = new List<Entry>();
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && TryReadStat(pid) is { } entry)
                    entries.Add(entry);
            }

            return new ProcessTable(entries);
        }

        /// <summary>The children of <paramref name="root"/> and, through the matching ones only, their descendants that match.</summary>
        public IEnumerable<Entry> Descendants(int root, Func<Entry, bool> match)
        {
            foreach (var child in All.Where(p => p.ParentPid == root && match(p)))
            {
                yield return child;
                foreach (var descendant in Descendants(child.Pid, match))
                    yield return descendant;
            }
        }

        public static bool IsAlive(int pid) => TryReadStat(pid) is { State: not ('Z' or 'X') };

        /// <summary>Whether <paramref name="entry"/>'s pid is still that process (same start time), alive.</summary>
        public static bool IsSame(Entry entry) => TryReadStat(entry.Pid) is { State: not ('Z' or 'X') } now && now.Started == entry.Started;

        /// <summary>/proc/pid/stat is "pid (comm) state ppid ..."; comm may hold spaces and parentheses.</summary>
        private static Entry? TryReadStat(int pid)
        {
            string text;
            try
            {
                text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null; // exited meanwhile
            }

            var open = text.IndexOf('(', StringComparison.Ordinal);
            var close = text.LastIndexOf(')');
            var fields = text[(close + 2)..].Split(' ');
            return new Entry(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), text[(open + 1)..close], fields[0][0], long.Parse(fields[19], CultureInfo.InvariantCulture));
        }

        public sealed record Entry(int Pid, int ParentPid, string Command, char State, long Started);
    }
}
