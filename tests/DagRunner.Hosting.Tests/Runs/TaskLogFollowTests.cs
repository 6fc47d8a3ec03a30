using DagRunner.Hosting.Runs;
using DagRunner.Sdk;
using DagRunner.Testing;

namespace DagRunner.Hosting.Tests.Runs;

/// <summary>Following a log as it grows (the web UI's live log): whole lines only, from an offset, the tail
/// of a long log from its first whole line, masked, and nothing outside the logs folder.</summary>
public sealed class TaskLogFollowTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadFrom_GivesWholeLinesOnly_AndALineOnceItEnds()
    {
        using var folder = new TempFolder("logs");
        var log = folder.Write("logs/a.log", "one\ntwo pass=s3cret\nthr");
        var secrets = new SecretMasker();
        secrets.Add("s3cret");
        var reader = new TaskLogReader(folder["logs"], secrets);

        var first = (await reader.ReadFromAsync(log, -1, TaskLogReader.DefaultMaxBytes, Token))!;
        var nothing = (await reader.ReadFromAsync(log, first.Next, TaskLogReader.DefaultMaxBytes, Token))!;
        await File.AppendAllTextAsync(log, "ee é\nfour", Token);
        var then = (await reader.ReadFromAsync(log, nothing.Next, TaskLogReader.DefaultMaxBytes, Token))!;

        Assert.Equal(("one\ntwo pass=***\n", false), (first.Text, first.Truncated));
        Assert.Equal(("", first.Next), (nothing.Text, nothing.Next));
        Assert.Equal("three é\n", then.Text);
    }

    [Fact]
    public async Task ReadFrom_TheTailOfALongLog_StartsAtItsFirstWholeLine()
    {
        using var folder = new TempFolder("logs");
        var log = folder.Write("logs/a.log", "aaaaaaaaaa\nbbbb\ncccc\n");
        var reader = new TaskLogReader(folder["logs"], new SecretMasker());

        var tail = (await reader.ReadFromAsync(log, -1, 12, Token))!;

        Assert.Equal(("bbbb\ncccc\n", true), (tail.Text, tail.Truncated));
        Assert.Equal(new FileInfo(log).Length, tail.Next);
    }

    [Fact]
    public async Task ReadFrom_AFileOutsideTheLogsFolder_IsNotRead()
    {
        using var folder = new TempFolder("logs");
        var outside = folder.Write("elsewhere/secret.txt", "not a log\n");
        Directory.CreateDirectory(folder["logs"]);

        var read = await new TaskLogReader(folder["logs"], new SecretMasker()).ReadFromAsync(Path.Combine(folder["logs"], "..", "elsewhere", "secret.txt"), 0, 100, Token);

        Assert.Null(read);
        Assert.True(File.Exists(outside));
    }
}
