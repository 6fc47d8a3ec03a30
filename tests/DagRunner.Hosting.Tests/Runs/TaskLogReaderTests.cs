using DagRunner.Engine.Execution;
using DagRunner.Engine.Storage;
using DagRunner.Hosting.Runs;
using DagRunner.Sdk;
using DagRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Hosting.Tests.Runs;

/// <summary>Task logs read for a front end: from the files the run records name, inside the logs folder only, masked.</summary>
public sealed class TaskLogReaderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Read_TheLogARunRecordNames_IsItsTextWithSecretsLearnedLaterMasked()
    {
        var time = new FakeTimeProvider(RunDags.Day);
        await using var engine = new TestEngine(time);
        await engine.Runner.RunAsync(RunDags.Daily(), RunInput.Request(RunDags.Day, null, time), new DagRunObserver(), Token);
        var view = (await new RunReadModel(engine.Store, new StoredCheckpoints(engine.Store), new SecretMasker()).FindRunAsync("etl", null, Token)).View!;
        var secrets = new SecretMasker();
        secrets.Add("2026-11-20");

        var log = await new TaskLogReader(engine.Options.LogsFolder, secrets).ReadAsync(view.Tasks[0].Task.LogFile, TaskLogReader.DefaultMaxBytes, Token);

        Assert.NotNull(log);
        Assert.False(log.Truncated);
        Assert.Contains("extract ***", log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-11-20", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_AFileOutsideTheLogsFolder_IsNotRead()
    {
        using var folder = new TempFolder("logs");
        var outside = folder.Write("elsewhere/secret.txt", "not a log");
        Directory.CreateDirectory(folder["logs"]);
        var link = folder["logs/link.log"];
        File.CreateSymbolicLink(link, outside);
        var reader = new TaskLogReader(folder["logs"], new SecretMasker());

        Assert.Null(await reader.ReadAsync(outside, TaskLogReader.DefaultMaxBytes, Token));
        Assert.Null(await reader.ReadAsync(folder["logs/../elsewhere/secret.txt"], TaskLogReader.DefaultMaxBytes, Token));
        Assert.Null(await reader.ReadAsync(link, TaskLogReader.DefaultMaxBytes, Token));
        Assert.Null(await reader.ReadAsync(folder["logs/missing.log"], TaskLogReader.DefaultMaxBytes, Token));
        Directory.CreateSymbolicLink(folder["logs/sub"], folder["elsewhere"]);
        Assert.Null(await reader.ReadAsync(folder["logs/sub/secret.txt"], TaskLogReader.DefaultMaxBytes, Token));
    }

    [Fact]
    public async Task Read_ALogLongerThanAsked_IsItsEndFromTheFirstWholeLine()
    {
        using var folder = new TempFolder("logs");
        var file = folder.Write("logs/attempt=1.log", string.Concat(Enumerable.Range(1, 100).Select(i => $"line {i:D3}\n")));

        var log = await new TaskLogReader(folder["logs"], new SecretMasker()).ReadAsync(file, 25, Token);

        Assert.NotNull(log);
        Assert.True(log.Truncated);
        Assert.Equal("line 099\nline 100\n", log.Text);
    }
}
