using System.Security.Cryptography;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>
/// A store that cannot be used, with the real executable: random bytes, an empty file, a home that is
/// a file, a read-only home, the store deleted under a running scheduler; and out-of-range
/// <c>--loop-seconds</c>. Each is one line naming the file and what to do, exit 2, no stack trace, and
/// the file is left exactly as it was.
/// </summary>
public sealed class StoreFaultTests : IDisposable
{
    private readonly TempFolder _project = new("dagrunner-store-fault");

    public StoreFaultTests()
    {
        _project.Write("dags/once.csx", $$"""
            var dag = new Dag("once") { Schedule = "@once", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
            dag.Add(new ShellOperator("mark") { Command = "echo ran >> '{{_project["ran.txt"]}}'" });
            """);
    }

    private string StorePath => _project[Path.Combine("home", "state.db")];

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task RandomBytes_IsRefusedInOneLine_Exit2_FileUntouched()
    {
        var bytes = RandomNumberGenerator.GetBytes(64 * 1024);
        _project.Write(Path.Combine("home", ".keep"), "");
        await File.WriteAllBytesAsync(StorePath, bytes, TestContext.Current.CancellationToken);

        var (exit, _, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "test", "once", "--home", "home");

        AssertRefused(exit, error, "is damaged or not a database");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(StorePath, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(_project["ran.txt"]));
    }

    [Fact]
    public async Task ZeroBytes_IsRefusedLikeADamagedStore_NoCatchUpRuns()
    {
        _project.Write(Path.Combine("home", "state.db"), "");

        var (exit, _, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "backfill", "once", "--from", "2026-11-01", "--to", "2026-11-01", "--home", "home");

        AssertRefused(exit, error, "is empty (0 bytes)");
        Assert.Equal(0, new FileInfo(StorePath).Length);
        Assert.False(File.Exists(_project["ran.txt"]));
    }

    [Fact]
    public async Task HomeIsAFile_IsRefusedInOneLine_Exit2()
    {
        var home = _project.Write("home.txt", "not a folder");

        var (exit, _, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "test", "once", "--home", "home.txt");

        AssertRefused(exit, error, $"The home {home} is a file, not a folder");
        Assert.Equal("not a folder", await File.ReadAllTextAsync(home, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("dags", "test", "once")]
    [InlineData("scheduler")]
    public async Task ReadOnlyHome_IsRefusedInOneLine_Exit2(params string[] command)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Windows has no Unix file modes.");
            return;
        }

        // Root writes to read-only folders: as root the CLI runs as `nobody`, for whom the mode holds.
        var asNobody = IsRoot();
        Assert.SkipWhen(asNobody && !File.Exists("/usr/bin/setpriv"), "running as root without setpriv to drop to nobody");
        var home = _project["home"];
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            string[] args = [.. command, "--home", "home"];
            using var cli = asNobody ? DagRunnerChild.StartAsNobody(_project.Path, args) : DagRunnerChild.Start(_project.Path, args);
            var exit = await cli.ExitAsync();

            AssertRefused(exit, cli.Error, command[0] == "scheduler" ? "The scheduler's lock" : $"The run store {StorePath} cannot be opened for writing");
            Assert.Empty(Directory.GetFileSystemEntries(home));
        }
        finally
        {
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task ReadOnlyStoreInAWritableHome_IsRefusedInOneLine_Exit2_FileUntouched()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Windows has no Unix file modes.");
            return;
        }

        var asNobody = IsRoot();
        Assert.SkipWhen(asNobody && !File.Exists("/usr/bin/setpriv"), "running as root without setpriv to drop to nobody");
        var (created, _, createError) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "test", "once", "--home", "home");
        Assert.True(created == 0, createError);
        var all = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(_project["home"], all);
        foreach (var file in Directory.GetFiles(_project["home"], "state.db*"))
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        if (!asNobody)
            File.SetUnixFileMode(StorePath, UnixFileMode.UserRead);
        var before = await File.ReadAllBytesAsync(StorePath, TestContext.Current.CancellationToken);

        string[] args = ["dags", "test", "once", "--home", "home", "--date", "2026-01-02"];
        using var cli = asNobody ? DagRunnerChild.StartAsNobody(_project.Path, args) : DagRunnerChild.Start(_project.Path, args);
        var exit = await cli.ExitAsync();

        AssertRefused(exit, cli.Error, $"The run store {StorePath} cannot be opened for writing");
        Assert.Equal(before, await File.ReadAllBytesAsync(StorePath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StoreDeletedUnderARunningScheduler_IsNoticed_SchedulerStopsWithAnError()
    {
        using var scheduler = DagRunnerChild.Start(_project.Path, "scheduler", "--loop-seconds", "0.2", "--home", "home");
        await DagRunnerChild.WaitForAsync(() => File.Exists(_project["ran.txt"]) || scheduler.HasExited, "the scheduler to run the DAG");
        File.Delete(StorePath);
        await DagRunnerChild.WaitForAsync(() => scheduler.HasExited, "the scheduler to notice the store is gone");

        Assert.Equal(2, await scheduler.ExitAsync());
        Assert.Contains($"error: The run store {StorePath} was deleted while in use", scheduler.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", scheduler.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("0.01")]
    [InlineData("86401")]
    [InlineData("NaN")]
    public async Task LoopSecondsOutOfRange_IsRefusedBeforeStarting_Exit2(string seconds)
    {
        using var scheduler = DagRunnerChild.Start(_project.Path, "scheduler", "--loop-seconds", seconds, "--home", "home");
        // A busy loop or a crash mid-run would not end by itself: the scheduler is given until the patience runs out.
        await DagRunnerChild.WaitForAsync(() => scheduler.HasExited, "the scheduler to refuse --loop-seconds");

        Assert.Equal(2, await scheduler.ExitAsync());
        Assert.Contains("--loop-seconds", scheduler.Error, StringComparison.Ordinal);
        Assert.Contains("0.1 to 86400", scheduler.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_project["ran.txt"]));
    }

    private static void AssertRefused(int exit, string error, string expected)
    {
        Assert.Equal(2, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
}
