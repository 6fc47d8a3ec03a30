using System.Diagnostics;
using System.Net.Sockets;
using DagRunner.Scripting.Compilation;
using DagRunner.Testing;
using DagRunner.Scripting.Serving;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Scripting.Tests;

/// <summary>The compile server: a loader has the files missing from its cache compiled by a warm server over a Unix
/// socket, falls back to compiling itself when there is none (starting one) or it answers nonsense, and the server
/// ends when idle, when asked, or when another one serves its socket already.</summary>
public sealed class CompileServerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private const string GoodDag = """
        var dag = new Dag("etl") { Schedule = "@daily" };
        dag.Add(new ShellOperator("extract") { Command = "echo {{ ds }}" });
        """;

    // The error is at line 2, column 9 of the file as written.
    private const string BrokenDag = """
        var dag = new Dag("broken");
        var x = ;
        """;

    [Fact]
    public async Task Loader_HasItsFilesCompiledByTheServer_AndNeverStartsACompiler()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("etl.csx", GoodDag);
        fixture.Dag("broken.csx", BrokenDag);
        var alone = await new DagFolderLoader(new LoaderFixture().Options.WithFoldersOf(fixture, cache: false), TimeProvider.System).LoadAsync(Token);
        await using var server = await Server.StartAsync(fixture, TimeProvider.System);

        using var loader = new DagFolderLoader(fixture.Options.WithServer(server.Folder), TimeProvider.System);
        var loaded = await loader.LoadAsync(Token);

        Assert.False(loader.CompilerLoaded);
        Assert.Equal("extract", Assert.Single(loaded.Find("etl")!.Tasks).TaskId);
        var error = Assert.Single(loaded.Errors);
        var expected = Assert.Single(alone.Errors);
        Assert.Equal((expected.Line, expected.Column, expected.Code, expected.Message), (error.Line, error.Column, error.Code, error.Message));
        Assert.Equal((2, 9), (error.Line, error.Column));
    }

    [Fact]
    public async Task Loader_WithoutAServer_CompilesItself_AndStartsOneForTheNextProcess_AfterItsLoad()
    {
        using var fixture = new LoaderFixture();
        var events = fixture.Root["events"];
        // The file says when it ran; the load runs it after compiling it.
        fixture.Dag("etl.csx", $"File.AppendAllText(@\"{events}\", \"ran\\n\");\n" + GoodDag);
        var folder = fixture.Root["servers"];
        var marker = fixture.Root["started"];
        // Stands for `dagrunner __compile-server`: says when it started, and where it was asked to listen.
        var command = new[] { "/bin/sh", "-c", $"echo started >> '{events}'; echo \"$2\" > '{marker}'", "sh" };

        using var loader = new DagFolderLoader(fixture.Options.WithServer(folder, command), TimeProvider.System);
        var loaded = await loader.LoadAsync(Token);

        Assert.True(loader.CompilerLoaded);
        Assert.NotNull(loaded.Find("etl"));
        Assert.Equal(Path.GetFullPath(folder), (await WaitForFileAsync(marker)).Trim());
        // Not while this process compiles and runs its files: a server warming up beside them would slow them down.
        Assert.Equal(["ran", "started"], await File.ReadAllLinesAsync(events, Token));
    }

    [Fact]
    public async Task Loader_CompilesItself_WhenTheServerAnswersNonsense()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("etl.csx", GoodDag);
        var folder = fixture.Root["servers"];
        var address = AddressOf(fixture, folder);
        address.CreateFolder();
        using var impostor = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        impostor.Bind(new UnixDomainSocketEndPoint(address.Socket));
        impostor.Listen(8);
        var answering = AnswerNonsenseAsync(impostor);

        using var loader = new DagFolderLoader(fixture.Options.WithServer(folder), TimeProvider.System);
        var loaded = await loader.LoadAsync(Token);

        Assert.True(loader.CompilerLoaded);
        Assert.Empty(loaded.Errors);
        Assert.NotNull(loaded.Find("etl"));
        impostor.Close();
        await answering;
    }

    [Fact]
    public async Task Server_TakesOverASocketThatADeadServerLeft()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("etl.csx", GoodDag);
        var folder = fixture.Root["servers"];
        var address = AddressOf(fixture, folder);
        address.CreateFolder();
        // A process that bound the socket and ended without removing it (.NET's own sockets remove theirs).
        using (var dead = Process.Start("python3", ["-c", $"import socket; socket.socket(socket.AF_UNIX).bind('{address.Socket}')"]))
            await dead.WaitForExitAsync(Token);
        Assert.True(File.Exists(address.Socket));
        using (var before = new DagFolderLoader(fixture.Options.WithServer(folder), TimeProvider.System))
        {
            Assert.NotNull((await before.LoadAsync(Token)).Find("etl"));
            Assert.True(before.CompilerLoaded);
        }

        fixture.Dag("etl.csx", GoodDag + "\n// changed");
        await using var server = await Server.StartAsync(fixture, TimeProvider.System, folder);
        using var after = new DagFolderLoader(fixture.Options.WithServer(folder), TimeProvider.System);

        Assert.NotNull((await after.LoadAsync(Token)).Find("etl"));
        Assert.False(after.CompilerLoaded);
    }

    [Fact]
    public async Task Server_Ends_AfterTheIdleTimeout()
    {
        using var fixture = new LoaderFixture();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(fixture, time, idle: TimeSpan.FromMinutes(10));

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(server.Run.IsCompleted);
        // The server's idle check waits on the fake clock: move it on until the server has seen the idle time pass.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (!server.Run.IsCompleted)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAny(server.Run, Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token));
        }

        Assert.Equal(0, await server.Run);
        Assert.False(File.Exists(server.Address.Socket));
    }

    [Fact]
    public async Task Server_Stops_WhenAsked_AndASecondOneOnTheSameSocketEndsAtOnce()
    {
        using var fixture = new LoaderFixture();
        await using var server = await Server.StartAsync(fixture, TimeProvider.System);
        var second = CompileServerHost.RunAsync(["--folder", server.Folder, "--idle-timeout-ms", "600000"], fixture.Options, TimeProvider.System, Token);
        Assert.Equal(0, await second.WaitAsync(TimeSpan.FromSeconds(30), Token));
        Assert.False(server.Run.IsCompleted);
        var client = CompileServerClient.Create(new CompileServerOptions { Command = ["/bin/false"], Folder = server.Folder, StartServer = false }, ScriptAssemblies.From(fixture.Options), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)!;

        Assert.True(await client.StopAsync(Token));

        Assert.Equal(0, await server.Run.WaitAsync(TimeSpan.FromSeconds(30), Token));
        Assert.False(await client.StopAsync(Token));
    }

    private static CompileServerAddress AddressOf(LoaderFixture fixture, string folder) =>
        CompileServerAddress.For(folder, ScriptAssemblies.From(fixture.Options).Stamp)!;

    private static async Task AnswerNonsenseAsync(Socket listener)
    {
        try
        {
            while (true)
            {
                using var connection = await listener.AcceptAsync(Token);
                await connection.SendAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3 }, Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed by the test.
        }
    }

    // The stand-in server is another process: its marker appears when it has run.
    private static async Task<string> WaitForFileAsync(string path)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (File.Exists(path) && await File.ReadAllTextAsync(path, deadline.Token) is { Length: > 0 } text)
                return text;
            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }

    /// <summary>A compile server running in the test's process.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        private Server(string folder, CompileServerAddress address)
        {
            Folder = folder;
            Address = address;
        }

        public string Folder { get; }

        public CompileServerAddress Address { get; }

        public Task<int> Run { get; private set; } = Task.FromResult(0);

        public static async Task<Server> StartAsync(LoaderFixture fixture, TimeProvider time, string? folder = null, TimeSpan? idle = null)
        {
            folder ??= fixture.Root["servers"];
            var server = new Server(folder, AddressOf(fixture, folder));
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var idleMs = ((long)(idle ?? TimeSpan.FromMinutes(10)).TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            server.Run = Task.Run(() => CompileServerHost.RunAsync(["--folder", folder, "--idle-timeout-ms", idleMs], fixture.Options, time, listening.SetResult, server._stop.Token));
            await Task.WhenAny(listening.Task, server.Run).WaitAsync(TimeSpan.FromSeconds(30), Token);
            Assert.True(listening.Task.IsCompleted, "The compile server did not start listening.");
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await ((Task)Run).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _stop.Dispose();
        }
    }
}

/// <summary>Options for a loader that asks a compile server.</summary>
internal static class CompileServerOptionsExtensions
{
    public static ScriptingOptions WithServer(this ScriptingOptions options, string folder, string[]? command = null) => new ScriptingOptions
    {
        DagsFolder = options.DagsFolder,
        TemplatesFolder = options.TemplatesFolder,
        CacheFolder = options.CacheFolder,
        LoadTimeout = options.LoadTimeout,
        CompileServer = new CompileServerOptions { Command = command ?? ["/bin/false"], Folder = folder, StartServer = command is not null },
    }.AsTheApplication();

    public static ScriptingOptions WithFoldersOf(this ScriptingOptions options, LoaderFixture fixture, bool cache) => new ScriptingOptions
    {
        DagsFolder = fixture.Options.DagsFolder,
        TemplatesFolder = fixture.Options.TemplatesFolder,
        CacheFolder = cache ? options.CacheFolder : null,
        LoadTimeout = options.LoadTimeout,
    }.AsTheApplication();
}
