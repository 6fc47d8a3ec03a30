namespace DagRunner.Scripting.Tests;

/// <summary>What would reach the runner's own process is refused when a DAG file compiles, at the
/// author's line and column, in the file and in what it #loads; ordinary code is left alone.</summary>
public sealed class ForbiddenApiTests
{
    public static TheoryData<string, string, int, string> Refused => new()
    {
        { "Environment.Exit(0);", "Environment.Exit", 13, "end the runner" },
        { "System.Environment.FailFast(\"x\");", "Environment.FailFast", 20, "end the runner" },
        { "var t = new System.Threading.Thread(() => { }); t.Start();", "new Thread", 30, "outside any task" },
        { "var t = new Thread(() => { while (true) Thread.Sleep(10); }) { IsBackground = false };", "new Thread", 13, "outside any task" },
        { "ThreadPool.QueueUserWorkItem(_ => { });", "ThreadPool.QueueUserWorkItem", 12, "Task.Run" },
        { "var timer = new Timer(_ => { }, null, 0, 100);", "new System.Threading.Timer", 17, "outside any task" },
        { "System.Timers.Timer timer = new(100);", "new System.Timers.Timer", 29, "outside any task" },
        { "Action act = async () => await Task.Yield();", "async void", 14, "Func<Task>" },
        { "async void Fire() { await Task.Yield(); }", "async void", 12, "Func<Task>" },
        { "Environment.CurrentDirectory = \"/\";", "Environment.CurrentDirectory", 13, "moves the whole runner" },
        { "Environment.SetEnvironmentVariable(\"DAGRUNNER_CONN_LIVY_DEFAULT\", \"http://elsewhere\");", "SetEnvironmentVariable", 13, "connections" },
        { "System.Diagnostics.Process.GetCurrentProcess().Kill();", "Process.GetCurrentProcess", 28, "own process" },
        { "Console.SetOut(TextWriter.Null);", "Console.SetOut", 9, "console" },
        { "Console.CancelKeyPress += (s, e) => e.Cancel = true;", "Console.CancelKeyPress", 9, "Ctrl+C" },
        { "AppDomain.CurrentDomain.ProcessExit += (s, e) => { };", "AppDomain", 1, "own process" },
        { "var exit = (Action<int>)Environment.Exit;", "Environment.Exit", 37, "end the runner" },
        { "unsafe { int x = 1; int* p = &x; }", "unsafe", 1, "corrupt" },
        { "[System.Runtime.InteropServices.DllImport(\"libc\")] static extern void exit(int code);", "DllImport", 33, "corrupt" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task LoadAsync_ForbiddenUse_ImportErrorAtAuthorsLineAndColumn(string code, string named, int column, string why)
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("good.csx", "var dag = new Dag(\"good\");\ndag.Add(new ShellOperator(\"t\") { Command = \"true\" });");
        var file = fixture.Dag("hostile.csx", "var dag = new Dag(\"hostile\");\n" + code + "\n");

        var result = await fixture.LoadAsync();

        var error = Assert.Single(result.Errors, e => e.Line == 2);
        Assert.Equal(file, error.File);
        Assert.Equal("DAG010", error.Code);
        Assert.Equal(column, error.Column);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Equal(code, error.SourceText);
        Assert.Equal(["good"], result.Definitions.Select(d => d.DagId));
    }

    [Fact]
    public async Task LoadAsync_ForbiddenUseInsideATaskOrAnAlias_Refused()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("tasks.csx", """
            using T = System.Threading.Thread;
            var dag = new Dag("tasks");
            dag.Add(new CSharpOperator("quit", ctx => { Environment.Exit(1); }));
            var t = new T(() => { });
            """);

        var errors = (await fixture.LoadAsync()).Errors;

        Assert.Equal([3, 4], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal("DAG010", e.Code));
    }

    [Fact]
    public async Task LoadAsync_ForbiddenUseInALoadedHelper_ReportedInTheHelper()
    {
        using var fixture = new LoaderFixture();
        var helper = fixture.Dag("_helpers.csx", "void Leave() => Environment.Exit(0);\n");
        fixture.Dag("uses.csx", "#load \"_helpers.csx\"\nvar dag = new Dag(\"uses\");\n");

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Equal(helper, error.SourceFile);
        Assert.Equal(1, error.Line);
        Assert.Equal("DAG010", error.Code);
    }

    [Fact]
    public async Task LoadAsync_OrdinaryCodeThatLooksAlike_Loads()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("fine.csx", """
            var dag = new Dag("fine");
            var here = Environment.CurrentDirectory;
            var exitCode = Environment.ExitCode;
            Thread.Sleep(1);
            await Task.Run(() => 1);
            Func<Task> later = async () => await Task.Yield();
            var id = Environment.ProcessId;
            var name = "Environment.Exit(0)";
            var timerName = nameof(System.Timers.Timer);
            dag.Add(new CSharpOperator("async_task", async ctx => { await Task.Delay(1); return here; }));
            dag.Add(new ShellOperator("exit") { Command = "exit 0" });
            """);

        var result = await fixture.LoadAsync();

        Assert.Empty(result.Errors);
        Assert.Equal(["fine"], result.Definitions.Select(d => d.DagId));
    }
}
