using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DagRunner.Testing.Postgres;

/// <summary>
/// A real, throwaway PostgreSQL server (Debian's binaries under <c>/usr/lib/postgresql/N/bin</c>) on a
/// loopback port, in its own temp folder: the run store is tested against the real server, never a mock.
/// initdb refuses to run as root, so as root (CI) the server runs as <c>nobody</c> through <c>runuser</c>;
/// as an ordinary user (locally) it runs as that user. Authentication is <c>trust</c> for the superuser
/// <c>postgres</c>, and durability is switched off for speed: the data is thrown away on dispose.
/// </summary>
/// <remarks>
/// The testing library does not reference Npgsql (the run store's tests do), so databases are created
/// with <c>psql</c> as a child process.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string InstallRoot = "/usr/lib/postgresql";
    private const string MissingBinaries =
        "the PostgreSQL tests need Debian's postgresql package (apt-get install -y postgresql): no initdb under /usr/lib/postgresql/*/bin";

    /// <summary>The account the server runs as when the tests run as root.</summary>
    private const string UnprivilegedUser = "nobody";

    private const int PortAttempts = 3;

    /// <summary>How long pg_ctl waits for the server to start or stop (its <c>-t</c>); a cold start on a
    /// busy 2-core CI machine takes a few seconds.</summary>
    private const int PgCtlTimeoutSeconds = 60;

    private static readonly TimeSpan ProbeDeadline = TimeSpan.FromSeconds(10);
    private static readonly string[] RunuserCandidates = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"];

    /// <summary>
    /// Appended to the generated postgresql.conf rather than passed with <c>pg_ctl -o</c>: pg_ctl hands
    /// <c>-o</c> to a shell, so paths and empty values there would need quoting. TCP only (no Unix socket:
    /// the default socket folder belongs to the system's postgres user, and a socket path in the temp
    /// folder can exceed the 107-byte limit when TMPDIR is long).
    /// </summary>
    private const string Settings = """

        # DagRunner test server: loopback TCP only.
        listen_addresses = '127.0.0.1'
        unix_socket_directories = ''
        max_connections = 200
        """;

    // Tests throw their data away: no durability, for speed. A benchmark keeps PostgreSQL's defaults.
    private const string NoDurability = """
        fsync = off
        synchronous_commit = off
        full_page_writes = off
        """;

    private readonly TempFolder _folder;
    private readonly string _runuser;
    private string? _logAtDisposal;
    private int _disposed;

    private PostgresServer(TempFolder folder, string binDirectory, string runuser, int port)
    {
        _folder = folder;
        BinDirectory = binDirectory;
        _runuser = runuser;
        Port = port;
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    /// <summary>The PostgreSQL binaries the server runs from: tests find <c>psql</c> here, of the same version
    /// (Debian's <c>/usr/bin/psql</c> is a wrapper that picks a cluster's version on its own).</summary>
    public string BinDirectory { get; }

    /// <summary>What the server wrote to its log: put it in failure messages to see why.</summary>
    public string Log => _logAtDisposal ?? ReadLog(_folder["log"]);

    private string DataDirectory => _folder["data"];

    /// <summary>Finds the newest PostgreSQL, creates a cluster in a temp folder and starts it on a free
    /// loopback port; returns once the server accepts TCP connections. Without durability (fsync and synchronous
    /// commits off) unless <paramref name="durable"/>: a benchmark measures the server as it ships.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken, bool durable = false)
    {
        var binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(MissingBinaries);
        var runuser = Environment.IsPrivilegedProcess ? FindRunuser() : "";

        var folder = new TempFolder("dagrunner-postgres");
        PostgresServer? server = null;
        try
        {
            if (runuser.Length > 0)
                await HandToUnprivilegedUserAsync(folder.Path, cancellationToken);

            // --no-locale: C collation everywhere, whatever LANG says (initdb fails on a locale the machine lacks).
            await RunAsync(AsServerUser(runuser, Path.Combine(binDirectory, "initdb"),
                ["-D", folder["data"], "-A", "trust", "-U", "postgres", "--no-sync", "--no-locale", "-E", "UTF8"]), cancellationToken);
            await File.AppendAllTextAsync(Path.Combine(folder["data"], "postgresql.conf"), Settings + "\n" + (durable ? "" : NoDurability + "\n"), cancellationToken);

            for (var attempt = 1; ; attempt++)
            {
                server = new PostgresServer(folder, binDirectory, runuser, PickFreePort());
                var logBefore = server.Log.Length;
                var started = await TryRunAsync(server.PgCtl(
                    "-D", server.DataDirectory, "-l", folder["log"], "-o", $"-p {server.Port.ToString(CultureInfo.InvariantCulture)}",
                    "-w", "-t", PgCtlTimeoutSeconds.ToString(CultureInfo.InvariantCulture), "start"), cancellationToken);
                if (started.ExitCode == 0)
                    break;

                var log = server.Log[logBefore..];
                // Another process took the port between our probe and the server's bind: pick another.
                if (attempt < PortAttempts && (log.Contains("could not bind", StringComparison.Ordinal) || log.Contains("Address already in use", StringComparison.Ordinal)))
                    continue;
                throw new InvalidOperationException($"PostgreSQL did not start on {server.Host}:{server.Port}: {started}\nIts log:\n{server.Log}");
            }

            if (!await AcceptsConnectionsAsync(server.Port, cancellationToken))
                throw new InvalidOperationException($"pg_ctl started PostgreSQL, but {server.Host}:{server.Port} did not accept a connection within {ProbeDeadline.TotalSeconds:0} s. Its log:\n{server.Log}");
            return server;
        }
        catch
        {
            // A cancelled or failed start may have left a server running in the folder: stop it first.
            if (server is not null)
                await server.DisposeAsync();
            else
                folder.Dispose();
            throw;
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the superuser (trust: no password).</summary>
    public string ConnectionString(string database) =>
        $"Host={Host};Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Pooling=true";

    /// <summary>Creates an empty database with a name no other test uses and returns its connection string:
    /// tests sharing one server stay apart without dropping anything.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = $"test_{Guid.NewGuid():N}";
        // -X: no ~/.psqlrc; -q: no "CREATE DATABASE" echo; ON_ERROR_STOP: a failure is a non-zero exit.
        await RunAsync(new Command(Path.Combine(BinDirectory, "psql"),
            ["-X", "-q", "-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres",
             "-v", "ON_ERROR_STOP=1", "-c", $"CREATE DATABASE \"{name}\""]), cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: open connections are cut), waits until it is gone, keeps
    /// its log for <see cref="Log"/> and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;

        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            var timeout = PgCtlTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
            var fast = await TryRunAsync(PgCtl("-D", DataDirectory, "-m", "fast", "-w", "-t", timeout, "stop"), CancellationToken.None);
            // Fast shutdown waits for a checkpoint; if that stalls, immediate shutdown just exits.
            if (fast.ExitCode != 0 && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                await TryRunAsync(PgCtl("-D", DataDirectory, "-m", "immediate", "-w", "-t", timeout, "stop"), CancellationToken.None);
        }

        _logAtDisposal = ReadLog(_folder["log"]);
        _folder.Dispose();
    }

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> holding initdb and pg_ctl (Debian installs each
    /// major version side by side).</summary>
    private static string? FindBinDirectory()
    {
        if (!Directory.Exists(InstallRoot))
            return null;
        return Directory.EnumerateDirectories(InstallRoot)
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => VersionOf(Path.GetFileName(Path.GetDirectoryName(bin))!))
            .FirstOrDefault();
    }

    /// <summary>"15" and "9.6" are folder names; <see cref="Version"/> cannot parse the first, hence the padding.</summary>
    private static Version VersionOf(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : $"{name}.0", out var version) ? version : new Version(0, 0);

    private static string FindRunuser() =>
        RunuserCandidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            $"the PostgreSQL tests run as root here, and initdb refuses root: the server must run as '{UnprivilegedUser}' through runuser (util-linux, apt-get install -y util-linux), " +
            $"but there is none at {string.Join(", ", RunuserCandidates)}");

    /// <summary>As root the server runs as nobody, who must reach the folder through every parent and own it
    /// (initdb creates the data folder there, pg_ctl the log).</summary>
    private static async Task HandToUnprivilegedUserAsync(string folder, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("the PostgreSQL test server runs on Linux only");

        for (var parent = Path.GetDirectoryName(folder); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if ((File.GetUnixFileMode(parent) & UnixFileMode.OtherExecute) == 0)
                throw new InvalidOperationException(
                    $"the PostgreSQL test server runs as '{UnprivilegedUser}' under root, who cannot reach {folder}: {parent} is not world-traversable (set TMPDIR to a folder such as /tmp)");
        }

        File.SetUnixFileMode(folder,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        // .NET has no chown; coreutils' does it without P/Invoke.
        await RunAsync(new Command("chown", [UnprivilegedUser, folder]), cancellationToken);
    }

    /// <summary>A port free a moment ago; the server may still lose it to another process, hence the retries.</summary>
    private static int PickFreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    /// <summary>pg_ctl -w already waits for the server to say it is ready; a TCP connect checks the port is
    /// really open to clients, polled until a deadline.</summary>
    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ProbeDeadline)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
            }
        }

        return false;
    }

    /// <summary>The log belongs to nobody when root runs the tests, and the server is still writing it.</summary>
    private static string ReadLog(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "";
        }
    }

    private Command PgCtl(params string[] arguments) => AsServerUser(_runuser, Path.Combine(BinDirectory, "pg_ctl"), arguments);

    /// <summary>initdb and pg_ctl run as the account that owns the data folder: nobody under root (when
    /// <paramref name="runuser"/> is set), else the current user.</summary>
    private static Command AsServerUser(string runuser, string program, IReadOnlyList<string> arguments) =>
        runuser.Length > 0 ? new Command(runuser, ["-u", UnprivilegedUser, "--", program, .. arguments]) : new Command(program, arguments);

    private static async Task RunAsync(Command command, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(command, cancellationToken);
        if (result.ExitCode != 0)
            throw new InvalidOperationException(result.ToString());
    }

    /// <summary>Runs <paramref name="command"/> to its end, capturing its output for error messages; a
    /// cancelled run is killed rather than left behind.</summary>
    private static async Task<Result> TryRunAsync(Command command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
            start.ArgumentList.Add(argument);
        // PGHOST, PGPORT, PGDATA, PGSSLMODE, PGOPTIONS... from the environment would redirect or break
        // psql and pg_ctl; every setting they need is on the command line.
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("PG", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);

        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return new Result(command, process.ExitCode, (await output + await error).Trim());
        }
        finally
        {
            Kill(process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile.
        }
    }

    private sealed record Command(string Program, IReadOnlyList<string> Arguments)
    {
        public override string ToString() => $"{Program} {string.Join(' ', Arguments)}";
    }

    private sealed record Result(Command Command, int ExitCode, string Output)
    {
        public override string ToString() => $"{Command} exited with code {ExitCode}: {Output}";
    }
}
