using System.Net;
using System.Text.Json;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Web.Security;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Web.Tests;

/// <summary>What an independent review of the UI broke, each kept broken-proof: a short secret in a run's
/// conf, a try that is not a number on the live log, a damaged remote-job record, one address trying
/// many user names.</summary>
public sealed class HardeningTests
{
    private const string Etl = """
        var dag = new Dag("etl") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
        dag.Add(new CSharpOperator("extract", ctx => 42));
        """;

    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunConf_ASecretNamedEntryShorterThanTheMaskersMinimum_IsHiddenOnEveryPageAndInTheApi()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);
        var run = await StoreSeed.RunAsync(project.Service<IRunStore>(), "etl", Day, DagRunState.Success,
            """{"table":"sales","password":"abcd","nested":{"api_token":"xy"}}""", new Dictionary<string, TaskState> { ["extract"] = TaskState.Success }, Token);

        var pages = new[]
        {
            WebRoutes.Run("etl", run.RunId), WebRoutes.Grid("etl"), WebRoutes.TaskInstance("etl", run.RunId, "extract"), "/api/dags/etl",
        };
        foreach (var page in pages)
        {
            using var answer = await project.Http.GetAsync(page, Token);
            var text = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync(Token));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.DoesNotContain("abcd", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"xy\"", text, StringComparison.Ordinal);
        }

        using var runPage = await project.Http.GetAsync(WebRoutes.Run("etl", run.RunId), Token);
        var shown = WebUtility.HtmlDecode(await runPage.Content.ReadAsStringAsync(Token));
        Assert.Contains("sales", shown, StringComparison.Ordinal);   // what is not secret stays readable
        Assert.Contains("***", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999999")]
    [InlineData("-1")]
    public async Task LogStream_ATryThatIsNotATryNumber_IsTheJson404(string tryText)
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);
        var run = await StoreSeed.RunAsync(project.Service<IRunStore>(), "etl", Day, DagRunState.Success, "{}", new Dictionary<string, TaskState> { ["extract"] = TaskState.Success }, Token);
        var url = WebRoutes.LogStream("etl", run.RunId, "extract", 1).Replace("try=1", $"try={tryText}", StringComparison.Ordinal);

        using var answer = await project.Http.GetAsync(url, Token);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(Token));
        Assert.Contains("extract", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TaskPage_ADamagedRemoteJobRecord_ShowsTheAttemptWithoutIt_NotAServerError()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);
        var store = project.Service<IRunStore>();
        var run = await StoreSeed.RunAsync(store, "etl", Day, DagRunState.Failed, "{}", new Dictionary<string, TaskState> { ["extract"] = TaskState.Failed }, Token);
        var attemptKey = DagRunner.Sdk.TaskContext.AttemptKeyOf("etl", run.RunId, "extract", 1);
        await store.SaveHandleAsync(attemptKey, "livy_batch", "{\"BatchId\": [not json", Token);

        using var answer = await project.Http.GetAsync(WebRoutes.TaskInstance("etl", run.RunId, "extract"), Token);
        var html = await answer.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("data-task-state", html, StringComparison.Ordinal);
        Assert.DoesNotContain("JsonException", html, StringComparison.Ordinal);
    }

    [Fact]
    public void LoginThrottle_OneAddressTryingManyNames_WaitsToo_OtherAddressesDoNot()
    {
        var clock = new FakeTimeProvider(Day);
        var throttle = new LoginThrottle(clock);

        for (var i = 0; i < LoginThrottle.MaxAddressFailures; i++)
            throttle.Failed($"name{i}", "10.0.0.7");

        Assert.NotNull(throttle.Wait("someone-new", "10.0.0.7"));
        Assert.Null(throttle.Wait("someone-new", "10.0.0.8"));
        Assert.Null(throttle.Wait("name1", "10.0.0.8"));
        clock.Advance(LoginThrottle.Lockout + TimeSpan.FromSeconds(1));
        Assert.Null(throttle.Wait("someone-new", "10.0.0.7"));
    }
}
