using System.Text;
using DagRunner.Engine.Logs;
using DagRunner.Testing;

namespace DagRunner.Engine.Tests.Logs;

public sealed class TaskLogFileTests : IDisposable
{
    private static readonly DateTimeOffset Time = new(2026, 12, 3, 9, 5, 7, 123, TimeSpan.FromHours(2));
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Append_NewFile_CreatesFolderAndWritesStampedLinesWithoutByteOrderMark()
    {
        var path = Path.Combine(_folder.Path, "dag", "run", "task", "attempt=1.log");
        using (var file = new TaskLogFile(path, TaskLogWriter.MaxFileBytes))
        {
            file.Append(Time, "{not a template} ünï ✓");
            file.Append(Time.AddSeconds(1), string.Empty);
        }

        var expected = $"[2026-12-03 09:05:07.123 +02:00] {{not a template}} ünï ✓{Environment.NewLine}[2026-12-03 09:05:08.123 +02:00] {Environment.NewLine}";
        Assert.Equal(new UTF8Encoding(false).GetBytes(expected), File.ReadAllBytes(path));
    }

    [Fact]
    public void Append_ExistingFile_AddsAfterWhatItHolds()
    {
        var path = Path.Combine(_folder.Path, "attempt=1.log");
        File.WriteAllText(path, "before\n");
        using (var file = new TaskLogFile(path, TaskLogWriter.MaxFileBytes))
            file.Append(Time, "after");

        Assert.Equal($"before\n[2026-12-03 09:05:07.123 +02:00] after{Environment.NewLine}", File.ReadAllText(path));
    }

    [Fact]
    public void Append_PastTheCap_WritesTheCrossingLineWholeAndDropsLaterOnes()
    {
        var path = Path.Combine(_folder.Path, "attempt=1.log");
        using (var file = new TaskLogFile(path, maxBytes: 40))
        {
            file.Append(Time, "first line, long enough to cross the cap");
            file.Append(Time, "dropped");
        }

        Assert.Equal($"[2026-12-03 09:05:07.123 +02:00] first line, long enough to cross the cap{Environment.NewLine}", File.ReadAllText(path));
    }

    [Fact]
    public void Append_FileCannotBeOpened_DropsTheLineInsteadOfThrowing()
    {
        var path = Path.Combine(_folder.Path, "taken");
        Directory.CreateDirectory(path);
        using var file = new TaskLogFile(path, TaskLogWriter.MaxFileBytes);

        file.Append(Time, "lost");
        file.Append(Time, "lost too");

        Assert.True(Directory.Exists(path));
    }
}
