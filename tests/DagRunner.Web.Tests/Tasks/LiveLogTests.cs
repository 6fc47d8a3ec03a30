using System.Net;
using System.Text.RegularExpressions;
using DagRunner.Engine.Execution;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;

namespace DagRunner.Web.Tests.Tasks;

/// <summary>The live log of a running attempt as server-sent events over real HTTP, and the page's
/// answers to ids that name nothing.</summary>
public sealed class LiveLogTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunningAttempt_TheStreamSendsTheTailThenALineAppendedToTheLog_ThenEndsWithTheAttempt()
    {
        // The task waits for a file the test writes; meanwhile its attempt is running.
        await using var project = await WebProject.StartAsync(new Dictionary<string, string>(), Token);
        var release = project.Folder["release"];
        project.Folder.Write(Path.Combine("dags", "waits.csx"), $$$"""
            var dag = new Dag("waits") { StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
            dag.Add(new ShellOperator("wait") { Command = "echo started pw={{ dag_run.conf.db_password }}; while [ ! -f '{{{release}}}' ]; do sleep 0.05; done; echo finished" });
            """);
        var dag = (await project.Service<DagCatalog>().FindAsync("waits", Token)).Dag!;
        Assert.True(RunInput.TryParseConf("""{"db_password": "hunter2-conf"}""", out var conf, out _));
        var request = RunInput.Request(Day, conf, TimeProvider.System);
        var started = new Started();
        var run = project.Service<RunLauncher>().TestAsync(dag, request, started, Token);
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60), Token);
            var page = await project.Http.GetStringAsync(WebRoutes.TaskInstance("waits", request.RunId, "wait"), Token);
            var stream = WebUtility.HtmlDecode(Regex.Match(page, "<pre id=\"log\" data-stream=\"([^\"]+)\"").Groups[1].Value);
            Assert.Equal(WebRoutes.LogStream("waits", request.RunId, "wait", 1), stream);
            Assert.Contains("data-task-state=\"running\"", page, StringComparison.Ordinal);

            using var events = await EventStream.OpenAsync(project.Http, stream, Token);
            var first = await events.UntilAsync((_, data) => data.Contains("started", StringComparison.Ordinal), Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
            Assert.Contains("started pw=***", first.Data, StringComparison.Ordinal);
            var logFile = (await project.Service<RunReadModel>().AttemptLogFileAsync("waits", request.RunId, "wait", 1, Token))!;
            await File.AppendAllTextAsync(logFile, "a line appended by the test\n", Token);
            var line = await events.UntilAsync((name, _) => name == "line", Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
            Assert.Equal("\"a line appended by the test\"", line.Data);

            await File.WriteAllTextAsync(release, "", Token);
            var end = await events.UntilAsync((name, _) => name == "end", Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
            Assert.Equal("end", end.Name);
            Assert.Null(await events.NextAsync(Token).WaitAsync(TimeSpan.FromSeconds(30), Token));
        }
        finally
        {
            await File.WriteAllTextAsync(release, "", CancellationToken.None);
            await run;
        }

        var over = await project.Http.GetStringAsync(WebRoutes.TaskInstance("waits", request.RunId, "wait"), Token);
        Assert.DoesNotContain("data-stream", over, StringComparison.Ordinal);
        Assert.Contains("finished", Html.Log(over), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-conf", over, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownIds_AnswerA404PageOrA404Json()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string>
        {
            ["etl.csx"] = """
                var dag = new Dag("etl") { StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
                dag.Add(new CSharpOperator("extract", ctx => 42));
                """,
        }, Token);
        var dag = (await project.Service<DagCatalog>().FindAsync("etl", Token)).Dag!;
        var run = await project.Service<RunLauncher>().TestAsync(dag, RunInput.Request(Day, null, TimeProvider.System), new DagRunObserver(), Token);

        var known = await project.Http.GetStringAsync(WebRoutes.TaskInstance("etl", run.RunId, "extract"), Token);
        Assert.Contains("data-try=\"1\"", known, StringComparison.Ordinal);
        Assert.Contains("data-task-state=\"success\"", known, StringComparison.Ordinal);
        Assert.Equal("\n42", WebUtility.HtmlDecode(Regex.Match(known, "<pre class=\"output\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value));

        foreach (var url in new[]
        {
            WebRoutes.TaskInstance("nope", run.RunId, "extract"),
            WebRoutes.TaskInstance("etl", "manual__1999-01-01T00:00:00+00:00", "extract"),
            WebRoutes.TaskInstance("etl", run.RunId, "nope"),
            WebRoutes.TaskInstance("etl", run.RunId, "extract", 9),
            WebRoutes.TaskInstance("etl", run.RunId, "extract") + "?try=x",
        })
        {
            using var answer = await project.Http.GetAsync(url, Token);
            var text = await answer.Content.ReadAsStringAsync(Token);
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, url);
            Assert.Contains("<section class=\"not-found\">", text, StringComparison.Ordinal);
        }

        using var stream = await project.Http.GetAsync(WebRoutes.LogStream("etl", run.RunId, "nope", 1), Token);
        Assert.Equal(HttpStatusCode.NotFound, stream.StatusCode);
        Assert.Equal("application/json", stream.Content.Headers.ContentType?.MediaType);
    }

    private sealed class Started : DagRunObserver
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Task => _started.Task;

        public override void TaskStarted(string taskId, int attempt) => _started.TrySetResult();
    }
}
