using System.Collections.Immutable;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Storage;
using DagRunner.Engine.Runs;
using DagRunner.Sdk;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing;

namespace DagRunner.Engine.Tests.Execution;

/// <summary>The executor hides the secret params and conf of a run in its task log, its observer's lines,
/// attempt errors and, through <see cref="MaskingRunStore"/>, everything the SQLite store keeps.</summary>
public sealed class SecretMaskingTests : IDisposable
{
    private const string Token = "tok-Engine-5ecret";
    private const string Password = "pw-Conf-5ecret";
    private readonly TempFolder _folder = new("engine-secrets");

    public void Dispose() => _folder.Dispose();

    private sealed class DelegateTask(string id, Func<TaskContext, Task<object?>> run) : DagTask(id)
    {
        public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => run(context);
    }

    private sealed class Recorder : DagRunObserver
    {
        public List<string> Lines { get; } = [];

        public override void TaskLog(string taskId, string line)
        {
            lock (Lines)
                Lines.Add(line);
        }

        public override void TaskFinished(TaskOutcome outcome)
        {
            lock (Lines)
                Lines.Add(outcome.Error ?? "");
        }
    }

    [Fact]
    public async Task RunAsync_TaskPrintsAndThrowsSecrets_MaskedInLogObserverAndStore()
    {
        var secrets = new SecretMasker();
        var options = new ExecutorOptions { LogsFolder = _folder["logs"], Secrets = secrets };
        await using var store = new MaskingRunStore(SqliteRunStore.Open(_folder["state.db"]), secrets);
        using var slots = new ExecutionSlots(options);
        var runner = new DagTestRunner(store, new DagRunExecutor(store, slots, options, TimeProvider.System), TimeProvider.System);
        var dag = new DagDefinition
        {
            DagId = "d",
            File = "d.csx",
            Params = ImmutableSortedDictionary<string, JsonElement>.Empty.Add("api_token", JsonSerializer.SerializeToElement(Token)),
            Tasks =
            [
                Task("prints", ctx =>
                {
                    ctx.Log.WriteLine($"token {ctx.Params["api_token"]} password {ctx.Conf["db_password"]}");
                    return System.Threading.Tasks.Task.FromResult<object?>(new { said = $"{Token} {Password}" });
                }),
                Task("throws", ctx => throw new InvalidOperationException($"refused {Token} / {Password}")),
            ],
        };
        var request = new DagTestRequest
        {
            LogicalDate = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
            Conf = ImmutableSortedDictionary<string, JsonElement>.Empty.Add("db_password", JsonSerializer.SerializeToElement(Password)),
        };
        var recorder = new Recorder();

        var result = await runner.RunAsync(dag, request, recorder, TestContext.Current.CancellationToken);

        Assert.Contains("token *** password ***", recorder.Lines);
        Assert.Contains("refused *** / ***", recorder.Lines);
        Assert.Equal("refused *** / ***", result.Tasks[1].Error);
        var texts = recorder.Lines.Concat(result.Tasks.Where(t => t.LogFile is not null).Select(t => File.ReadAllText(t.LogFile!))).ToList();
        var attempts = await store.AttemptsAsync("d", result.RunId, TestContext.Current.CancellationToken);
        var events = await store.EventsAsync("d", result.RunId, TestContext.Current.CancellationToken);
        var tasks = await store.TaskInstancesAsync("d", result.RunId, TestContext.Current.CancellationToken);
        texts.AddRange(attempts.Select(a => a.Error + a.RenderedFields));
        texts.AddRange(events.Select(e => e.Message ?? ""));
        texts.AddRange(tasks.Select(t => t.Error + t.Output));
        Assert.Contains(events, e => e.Message == "refused *** / ***");
        Assert.Contains(tasks, t => t.Output == """{"said":"*** ***"}""");
        Assert.DoesNotContain(texts, t => t.Contains(Token, StringComparison.Ordinal) || t.Contains(Password, StringComparison.Ordinal));
    }

    private static TaskDefinition Task(string id, Func<TaskContext, Task<object?>> run) => new()
    {
        TaskId = id,
        Operator = "DelegateTask",
        Policy = new TaskPolicy(),
        Upstream = [],
        Instance = new DelegateTask(id, run),
    };
}
