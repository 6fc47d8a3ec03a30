using DagRunner.Sdk;

namespace DagRunner.Operators.Tests;

public sealed class CSharpOperatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExecuteAsync_EveryDelegateShape_ReturnsItsOutput()
    {
        var ran = new List<string>();
        CSharpOperator[] tasks =
        [
            new("async_value", async ctx => { await Task.Yield(); return ctx.TaskId; }),
            new("async_void", async ctx => { await Task.Yield(); ran.Add(ctx.TaskId); }),
            new("sync_value", ctx => ctx.TaskId.Length),
            new("sync_void", ctx => ran.Add(ctx.TaskId)),
        ];

        var outputs = new List<object?>();
        foreach (var task in tasks)
        {
            outputs.Add(await task.ExecuteAsync(Contexts.For(task.TaskId), Ct));
        }

        Assert.Equal(["async_value", null, 10, null], outputs);
        Assert.Equal(["async_void", "sync_void"], ran);
    }

    [Fact]
    public async Task ExecuteAsync_ThrowingDelegate_FailsTheAttempt()
    {
        var task = new CSharpOperator("t", _ => throw new InvalidDataException("bad row"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => task.ExecuteAsync(Contexts.For("t"), Ct));

        Assert.Equal("bad row", error.Message);
    }

    [Fact]
    public async Task ExecuteAsync_ReadsUpstreamOutputs()
    {
        var task = new CSharpOperator("t", ctx => ctx.Output<int>("up") + 1);

        var output = await task.ExecuteAsync(Contexts.For("t", outputs: new Dictionary<string, object?> { ["up"] = 41L }), Ct);

        Assert.Equal(42, output);
    }
}
