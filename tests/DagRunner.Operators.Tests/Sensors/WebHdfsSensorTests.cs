using DagRunner.Operators.Tests.Livy;
using DagRunner.Sdk;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Operators.Tests.Sensors;

/// <summary>The WebHDFS sensor against LocalLivy's WebHDFS, its pokes driven by a fake clock.</summary>
public sealed class WebHdfsSensorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FileAppearsBetweenPokes_SensorSucceedsAtTheNextPoke()
    {
        var clock = new FakeTimeProvider();
        await using var bed = await LivyTestbed.StartAsync(clientTime: clock);
        var sensor = new WebHdfsSensor("wait") { Path = "/data/sales/2026-11-20/_SUCCESS", PokeInterval = TimeSpan.FromMinutes(1), Timeout = TimeSpan.FromHours(1) };
        var log = new PokeLog();

        var run = Task.Run(() => sensor.ExecuteAsync(bed.Context("wait", log), Token), Token);
        await log.NotYet.WaitAsync(Token);
        var file = Path.Join(bed.Server.HdfsRoot, "data", "sales", "2026-11-20", "_SUCCESS");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "", Token);
        clock.Advance(TimeSpan.FromMinutes(1));
        var output = (IReadOnlyDictionary<string, object?>)(await run)!;

        Assert.Equal("FILE", output["type"]);
        Assert.Contains("Poke 2: /data/sales/2026-11-20/_SUCCESS", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NeverAppears_FailsAtTheTimeout()
    {
        var clock = new FakeTimeProvider();
        await using var bed = await LivyTestbed.StartAsync(clientTime: clock);
        var sensor = new WebHdfsSensor("wait") { Path = "/never", PokeInterval = TimeSpan.FromMinutes(1), Timeout = TimeSpan.FromMinutes(3) };
        var log = new PokeLog();

        var run = Task.Run(() => sensor.ExecuteAsync(bed.Context("wait", log), Token), Token);
        for (var i = 0; i < 3; i++)
        {
            await log.NotYet.WaitAsync(Token);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => run);
        Assert.Contains("gave up after", error.Message, StringComparison.Ordinal);
        Assert.Contains("/never", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerErrors_AreNotANo()
    {
        // The system clock here: the client's own retries run on it while the server fails.
        await using var bed = await LivyTestbed.StartAsync();
        Directory.CreateDirectory(Path.Join(bed.Server.HdfsRoot, "ready"));
        bed.Server.Faults.ServerErrorRate = 1;
        var sensor = new WebHdfsSensor("wait") { Path = "/ready", PokeInterval = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromHours(1) };
        var log = new PokeLog();

        var run = Task.Run(() => sensor.ExecuteAsync(bed.Context("wait", log), Token), Token);
        await log.CouldNotTell.WaitAsync(Token);
        bed.Server.Faults.ServerErrorRate = 0;

        Assert.Equal("DIRECTORY", ((IReadOnlyDictionary<string, object?>)(await run)!)["type"]);
        Assert.DoesNotContain("not yet", log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Signals each poke's verdict, so the test advances the clock after it, not by timing.</summary>
    private sealed class PokeLog : StringWriter
    {
        public SemaphoreSlim NotYet { get; } = new(0);
        public SemaphoreSlim CouldNotTell { get; } = new(0);

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(": not yet.", StringComparison.Ordinal) == true)
                NotYet.Release();
            if (value?.Contains("could not tell", StringComparison.Ordinal) == true)
                CouldNotTell.Release();
        }
    }
}
