using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>
/// DAG files that would take the runner down (an exit, a thread, a sleeping foreground thread, 2 GB
/// allocated at load, an exit through reflection) beside a good DAG, with the real executable: each
/// is an import error of its own file, the good DAG lists, tests and is scheduled, and a scheduler
/// already running survives them being dropped in without ever holding the 2 GB.
/// </summary>
public sealed class HostileDagFilesTests : IDisposable
{
    // File, content, and the line its error points at (0: the file as a whole).
    private static readonly (string Name, string Content, int Line)[] Hostile =
    [
        ("exit.csx", "var dag = new Dag(\"exit\");\nEnvironment.Exit(0);\n", 2),
        ("thread.csx", "var dag = new Dag(\"thread\");\nvar t = new System.Threading.Thread(() => { while (true) { } });\nt.Start();\n", 2),
        ("foreground.csx", "var dag = new Dag(\"foreground\");\nnew Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = false }.Start();\n", 2),
        ("memory.csx", "var dag = new Dag(\"memory\");\nvar big = new byte[2_000_000_000];\nbig[^1] = 1;\n", 2),
        ("memory_loop.csx", "var dag = new Dag(\"memory_loop\");\nvar kept = new List<byte[]>();\nfor (var i = 0; i < 2_000; i++) kept.Add(new byte[1_000_000]);\n", 3),
        ("reflected_exit.csx", "var dag = new Dag(\"reflected_exit\");\ntypeof(Environment).GetMethod(\"Exit\")!.Invoke(null, new object[] { 0 });\n", 0),
        ("thread_crash.csx", """
            var dag = new Dag("thread_crash");
            var start = typeof(Thread).GetConstructor([typeof(ThreadStart)])!;
            var thread = start.Invoke([(ThreadStart)(() => throw new InvalidOperationException("boom"))]);
            thread.GetType().GetMethod("Start", Type.EmptyTypes)!.Invoke(thread, null);
            Thread.Sleep(Timeout.Infinite);
            """, 3),
    ];

    private readonly TempFolder _project = new("dagrunner-e2e-hostile");

    public HostileDagFilesTests()
    {
        _project.Write("dags/good.csx", $$"""
            var dag = new Dag("good");
            dag.Add(new ShellOperator("mark") { Command = "echo ran >> '{{_project["good.ran"]}}'" });
            """);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _project.Dispose();

    private void DropHostileFiles()
    {
        foreach (var (name, content, _) in Hostile)
            _project.Write(Path.Combine("dags", name), content);
    }

    [Fact]
    public async Task DagsTest_TaskCodeThrowsOnATimerThread_TheThreadEndsNotTheRunner()
    {
        // Nothing refused: a token callback of the task's throws on a timer thread, which .NET answers by
        // ending the process. The task goes on once the callback has begun, a moment before it throws.
        _project.Write("dags/late.csx", """
            var dag = new Dag("late");
            dag.Add(new CSharpOperator("throws_elsewhere", ctx =>
            {
                var began = new ManualResetEventSlim();
                var cts = new CancellationTokenSource();
                cts.Token.Register(() =>
                {
                    began.Set();
                    throw new InvalidOperationException("late boom");
                });
                cts.CancelAfter(100);
                began.Wait();
            }));
            """);

        var (exit, output, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "test", "late", "--home", _project[".home"]);

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("Run succeeded.", output, StringComparison.Ordinal);
        Assert.Contains("failed on a thread of its own and was stopped there", error, StringComparison.Ordinal);
        Assert.Contains("late boom", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsErrors_EachHostileFile_OneErrorOfItsOwnAtItsLine_Exit3()
    {
        DropHostileFiles();

        var (exit, output, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "errors", "--load-timeout", "5");

        Assert.True(exit == 3, output + error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (name, _, line) in Hostile)
        {
            var reported = Assert.Single(lines, l => l.StartsWith($"dags/{name}:", StringComparison.Ordinal));
            Assert.Matches(line > 0 ? $@"^dags/{name}:{line}:\d+: .+" : $"^dags/{name}: .+", reported);
        }

        Assert.Equal(Hostile.Length, lines.Length);
        Assert.Contains("load memory limit of 512 MB", Assert.Single(lines, l => l.StartsWith("dags/memory.csx", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsListAndTest_OtherDag_StillListsAndRuns()
    {
        DropHostileFiles();

        var (listExit, listOutput, listError) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "list", "--json", "--load-timeout", "5");
        var (testExit, testOutput, testError) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "test", "good", "--load-timeout", "5");

        Assert.True(listExit == 0, listOutput + listError);
        using var json = JsonDocument.Parse(listOutput);
        Assert.Equal(["good"], json.RootElement.GetProperty("dags").EnumerateArray().Select(d => d.GetProperty("dagId").GetString()));
        Assert.Equal(Hostile.Length, json.RootElement.GetProperty("importErrors").GetArrayLength());
        Assert.True(testExit == 0, testOutput + testError);
        Assert.Equal("ran\n", await File.ReadAllTextAsync(_project["good.ran"], Token));
    }

    [Fact]
    public async Task Scheduler_HostileFilesDroppedIn_SurvivesRecordsErrorsAndKeepsScheduling()
    {
        var home = _project["home"];
        using var scheduler = StartScheduler(home);
        await WaitForAsync(() => ImportErrorFiles(home) is not null, scheduler);

        DropHostileFiles();
        await WaitForAsync(() => ImportErrorFiles(home)?.Count == Hostile.Length, scheduler);
        var (triggerExit, triggerOutput, triggerError) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "trigger", "good", "--home", home);
        Assert.True(triggerExit == 0, triggerOutput + triggerError);
        await WaitForAsync(() => File.Exists(_project["good.ran"]), scheduler);

        Assert.Equal(Hostile.Select(h => h.Name).Order(StringComparer.Ordinal), ImportErrorFiles(home)!.Order(StringComparer.Ordinal));
        // The 2 GB were allocated in a probe process under its limit, never in the scheduler.
        Assert.InRange(PeakResidentBytes(scheduler), 0, 1024L * 1024 * 1024);
        using (var stop = Process.Start("kill", ["-INT", scheduler.Id.ToString(CultureInfo.InvariantCulture)]))
            await stop.WaitForExitAsync(Token);
        await scheduler.WaitForExitAsync(Token);
        Assert.Equal(0, scheduler.ExitCode);
    }

    private Process StartScheduler(string home)
    {
        var start = DagRunnerProcess.StartInfo(_project.Path, ["scheduler", "--loop-seconds", "0.5", "--home", home, "--load-timeout", "5"]);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync(Token);
        _ = process.StandardError.ReadToEndAsync(Token);
        return process;
    }

    private static async Task WaitForAsync(Func<bool> condition, Process scheduler)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(scheduler.HasExited, $"The scheduler exited with code {(scheduler.HasExited ? scheduler.ExitCode : 0)}.");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), "The scheduler made no progress in time.");
            await Task.Delay(100, Token);
        }
    }

    // The files the scheduler recorded import errors for; null until its store has the table.
    private static List<string>? ImportErrorFiles(string home)
    {
        var path = Path.Combine(home, "state.db");
        if (!File.Exists(path))
            return null;
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT file FROM import_error";
        try
        {
            using var reader = command.ExecuteReader();
            var files = new List<string>();
            while (reader.Read())
                files.Add(Path.GetFileName(reader.GetString(0)));
            return files;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return null;
        }
    }

    private static long PeakResidentBytes(Process process)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
