using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Scripting.Tests;

public sealed class RuntimeGuardTests
{
    [Fact]
    public async Task CSharpTaskSpinningInALoop_IsStoppedByItsExecutionTimeout()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("spin.csx", """
            var dag = new Dag("spin");
            dag.Add(new CSharpOperator("spin", ctx =>
            {
                ctx.Log.WriteLine("spinning");
                while (true) { }
            })
            {
                ExecutionTimeout = TimeSpan.FromMinutes(10),
            });
            """);
        var dag = (await fixture.LoadAsync()).Definitions.Single();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));
        var started = new Started();
        using var logs = new TempFolder();

        await using var engine = new TestEngine(time, logs.Path);
        var run = engine.Runner.RunAsync(dag, new DagTestRequest { LogicalDate = time.GetUtcNow() }, started, TestContext.Current.CancellationToken);
        await started.Spinning.Task;
        time.Advance(TimeSpan.FromMinutes(10));
        var result = await run;

        Assert.Equal(TaskState.Failed, result.Tasks.Single().State);
        Assert.Contains("execution timeout", result.Tasks.Single().Error, StringComparison.Ordinal);
    }

    private sealed class Started : DagRunObserver
    {
        public TaskCompletionSource Spinning { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void TaskLog(string taskId, string line) => Spinning.TrySetResult();
    }
}
