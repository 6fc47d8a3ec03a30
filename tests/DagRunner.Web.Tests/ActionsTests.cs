using System.Net;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;

namespace DagRunner.Web.Tests;

/// <summary>The actions over real HTTP (forms with anti-forgery tokens, as a browser posts them) on DagRunner's
/// real host, a real SQLite store and DAG files compiled for real: each goes through the same Hosting and
/// engine code as the CLI, and a refusal by the store's rules is a 409 saying why.</summary>
public sealed class ActionsTests
{
    private const string Etl = """
        var dag = new Dag("etl") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
        var extract = dag.Add(new CSharpOperator("extract", ctx => 42));
        var load = dag.Add(new CSharpOperator("load", ctx => { }));
        extract >> load;
        """;

    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<WebProject> StartAsync() => WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);

    private static async Task<FormClient> FormsAsync(WebProject project)
    {
        var forms = new FormClient(project.Http.BaseAddress!);
        var (status, _) = await forms.GetPageAsync(WebRoutes.Trigger("etl"), Token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(forms.Token);
        return forms;
    }

    // A run of etl that ran to its end here (a test run), with both tasks success.
    private static async Task<string> RunAsync(WebProject project)
    {
        var dag = (await project.Service<DagCatalog>().FindAsync("etl", Token)).Dag!;
        var test = await project.Service<RunLauncher>().TestAsync(dag, RunInput.Request(Day, null, TimeProvider.System), new DagRunObserver(), Token);
        Assert.True(test.Succeeded);
        return test.RunId;
    }

    private static async Task<Dictionary<string, TaskState>> StatesAsync(WebProject project, string runId) =>
        (await project.Service<IRunStore>().TaskInstancesAsync("etl", runId, Token)).ToDictionary(t => t.TaskId, t => t.State);

    [Fact]
    public async Task Trigger_FormShown_BadJsonComesBackNamingLineAndColumn_GoodFormQueuesTheRunAndGoesToTheGrid()
    {
        await using var project = await StartAsync();
        using var forms = new FormClient(project.Http.BaseAddress!);
        var (shown, form) = await forms.GetPageAsync(WebRoutes.Trigger("etl"), Token);

        var bad = await forms.PostAsync(WebRoutes.Trigger("etl"), [new("date", "2026-11-20"), new("conf", "{\n  \"table\": sales\n}")], Token);
        var good = await forms.PostAsync(WebRoutes.Trigger("etl"), [new("date", "2026-11-20"), new("conf", "{\"table\": \"sales\"}")], Token);
        var again = await forms.PostAsync(WebRoutes.Trigger("etl"), [new("date", "2026-11-20"), new("conf", "{}")], Token);

        Assert.Equal(HttpStatusCode.OK, shown);
        Assert.Contains("name=\"date\"", form, StringComparison.Ordinal);
        Assert.Contains("<textarea name=\"conf\"", form, StringComparison.Ordinal);
        Assert.Contains("data-action=\"trigger-submit\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Matches("class=\"form-error[^\"]*\"[^>]*>Conf: not valid JSON: line 2, column 12: ", bad.Html);
        Assert.Contains("  &quot;table&quot;: sales", bad.Html, StringComparison.Ordinal);   // what was typed is kept
        Assert.Equal((HttpStatusCode.SeeOther, "/dags/etl/grid"), (good.Status, good.Location));
        var run = Assert.Single(await project.Service<IRunStore>().ListRunsAsync("etl", null, Token));
        Assert.Equal(("manual__2026-11-20T00:00:00+00:00", DagRunState.Queued, "{\"table\":\"sales\"}"), (run.RunId, run.State, run.Conf));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Contains("already has run manual__2026-11-20T00:00:00+00:00 (queued)", WebUtility.HtmlDecode(again.Html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutTheAntiforgeryToken_IsRejected_AndChangesNothing()
    {
        await using var project = await StartAsync();
        using var forms = await FormsAsync(project);

        var pause = await forms.PostAsync(WebRoutes.Pause("etl", pause: true), [], Token, withToken: false);
        var trigger = await forms.PostAsync(WebRoutes.Trigger("etl"), [new("conf", "{}")], Token, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, pause.Status);
        Assert.Equal(HttpStatusCode.BadRequest, trigger.Status);
        Assert.Empty(await project.Service<RunReadModel>().PausedAsync(Token));
        Assert.Empty(await project.Service<IRunStore>().ListRunsAsync("etl", null, Token));
    }

    [Fact]
    public async Task PauseAndUnpause_GoBackToTheLocalReturnUrl_NeverToAnotherSite()
    {
        await using var project = await StartAsync();
        using var forms = await FormsAsync(project);

        var paused = await forms.PostAsync(WebRoutes.Pause("etl", pause: true), [new("returnUrl", "/dags?x=1")], Token);
        var pausedNow = await project.Service<RunReadModel>().PausedAsync(Token);
        var unpaused = await forms.PostAsync(WebRoutes.Pause("etl", pause: false), [new("returnUrl", "https://evil.example/")], Token);
        var sneaky = await forms.PostAsync(WebRoutes.Pause("etl", pause: false), [new("returnUrl", "//evil.example/")], Token);

        Assert.Equal((HttpStatusCode.SeeOther, "/dags?x=1"), (paused.Status, paused.Location));
        Assert.Equal(["etl"], pausedNow);
        Assert.Equal((HttpStatusCode.SeeOther, "/dags/etl/grid"), (unpaused.Status, unpaused.Location));
        Assert.Equal("/dags/etl/grid", sneaky.Location);
        Assert.Empty(await project.Service<RunReadModel>().PausedAsync(Token));
    }

    // An action's redirect carries what it did (?notice=...) for the page to show once.
    private static string? WithoutNotice(string? location) =>
        location?.IndexOf("notice=", StringComparison.Ordinal) is > 0 and var at ? location[..(at - 1)] : location;

    [Fact]
    public async Task Clear_TheNextPageSaysWhatTheClearDidAndWhoRunsTheRunAgain()
    {
        await using var project = await StartAsync();
        var runId = await RunAsync(project);
        using var forms = await FormsAsync(project);

        var clear = await forms.PostAsync(WebRoutes.ClearTask("etl", runId, "load"), [], Token);
        var (status, page) = await forms.GetPageAsync(clear.Location!, Token);

        Assert.Equal(HttpStatusCode.SeeOther, clear.Status);
        Assert.Contains("notice=", clear.Location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        var notice = Assert.Single(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page).QuerySelectorAll(".action-notice")).TextContent;
        Assert.Contains("load", notice, StringComparison.Ordinal);
        Assert.Contains("dags test", notice, StringComparison.Ordinal); // a test run: run again by `dags test`, said so
    }

    [Fact]
    public async Task ClearAndMark_GoThroughTheEngine_TheStoreShowsEachChange_WithItsEvent()
    {
        await using var project = await StartAsync();
        var runId = await RunAsync(project);
        using var forms = await FormsAsync(project);

        var clear = await forms.PostAsync(WebRoutes.ClearTask("etl", runId, "extract"), [new("downstream", "true")], Token);
        var cleared = await StatesAsync(project, runId);
        var mark = await forms.PostAsync(WebRoutes.MarkTask("etl", runId, "extract"), [new("state", "failed"), new("returnUrl", "/dags/etl/grid")], Token);
        var marked = await StatesAsync(project, runId);
        var markRun = await forms.PostAsync(WebRoutes.MarkRun("etl", runId), [new("state", "success")], Token);

        Assert.Equal((HttpStatusCode.SeeOther, WebRoutes.TaskInstance("etl", runId, "extract")), (clear.Status, WithoutNotice(clear.Location)));
        Assert.Equal(new Dictionary<string, TaskState> { ["extract"] = TaskState.None, ["load"] = TaskState.None }, cleared);
        Assert.Equal((HttpStatusCode.SeeOther, "/dags/etl/grid"), (mark.Status, WithoutNotice(mark.Location)));
        Assert.Equal(TaskState.Failed, marked["extract"]);
        Assert.Equal((HttpStatusCode.SeeOther, "/dags/etl/grid"), (markRun.Status, WithoutNotice(markRun.Location)));
        Assert.Equal(TaskState.Success, (await StatesAsync(project, runId))["load"]);
        Assert.Equal(DagRunState.Success, (await project.Service<IRunStore>().FindRunAsync("etl", runId, Token))!.State);
        var events = await project.Service<IRunStore>().EventsAsync("etl", runId, Token);
        Assert.Contains(events, e => e is { TaskId: "extract", To: "failed", Message: "marked failed by hand" });
        Assert.Contains(events, e => e is { TaskId: "load", From: "success", To: "none", Message: "cleared by hand" });
    }

    [Fact]
    public async Task Clear_ALiveRunnerHoldsTheRun_409PageSaysWhoAndWhy_NothingChanges()
    {
        await using var project = await StartAsync();
        var runId = await RunAsync(project);
        var store = project.Service<IRunStore>();
        var now = DateTimeOffset.UtcNow;
        Assert.True((await store.ClaimRunAsync("etl", runId, "another-host:4242:1:abcdef12", now, now.AddMinutes(-1), null, Token)).Held);
        using var forms = await FormsAsync(project);

        var refused = await forms.PostAsync(WebRoutes.ClearTask("etl", runId, "extract"), [], Token);
        var markRun = await forms.PostAsync(WebRoutes.MarkRun("etl", runId), [new("state", "failed")], Token);

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Matches("class=\"error-box\"[^>]*>Run manual__2026-11-20T00:00:00\\+00:00 of etl is being run by process 4242 on another-host \\(last heartbeat [^)]*\\), which works from its own copy", WebUtility.HtmlDecode(refused.Html));
        Assert.Contains("wait for it to end or stop that runner.", refused.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, markRun.Status);
        Assert.All((await StatesAsync(project, runId)).Values, s => Assert.Equal(TaskState.Success, s));
    }

    [Fact]
    public async Task Actions_UnknownDagRunOrTask_AnswerTheNotFoundPage()
    {
        await using var project = await StartAsync();
        var runId = await RunAsync(project);
        using var forms = await FormsAsync(project);

        var dag = await forms.PostAsync(WebRoutes.Pause("nope", pause: true), [], Token);
        var trigger = await forms.GetPageAsync(WebRoutes.Trigger("nope"), Token);
        var run = await forms.PostAsync(WebRoutes.MarkRun("etl", "no_run"), [new("state", "success")], Token);
        var task = await forms.PostAsync(WebRoutes.ClearTask("etl", runId, "nope"), [], Token);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (dag.Status, trigger.Status, run.Status, task.Status));
        Assert.Contains("DAG &#x27;nope&#x27; was not found.", dag.Html, StringComparison.Ordinal);
        Assert.Contains("DAG &#x27;etl&#x27; has no run &#x27;no_run&#x27;.", run.Html, StringComparison.Ordinal);
        Assert.Contains("has no task &#x27;nope&#x27;. Its tasks: extract, load.", task.Html, StringComparison.Ordinal);
    }
}
