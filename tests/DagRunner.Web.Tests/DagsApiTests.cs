using System.Net;
using System.Text.Json;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;
using DagRunner.Engine.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Web.Tests;

/// <summary>The DAGs API over real HTTP on loopback, a real SQLite store and DAG files compiled for real.</summary>
public sealed class DagsApiTests
{
    private const string Etl = """
        var dag = new Dag("etl") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
        var extract = dag.Add(new CSharpOperator("extract", ctx => 42));
        var load = dag.Add(new CSharpOperator("load", ctx => { }));
        extract >> load;
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Answers_HideEverySecretTheProcessKnows_InEveryStringValue()
    {
        const string Secret = "hunter2-warehouse";
        var dags = new Dictionary<string, string>
        {
            ["etl.csx"] = $$"""
                var dag = new Dag("etl") { Description = "loads with {{Secret}} (do not share)", Tags = { "t-{{Secret}}" } };
                dag.Add(new CSharpOperator("extract", ctx => 42));
                """,
            ["broken.csx"] = $"throw new InvalidOperationException(\"cannot reach {Secret}\");",
        };
        await using var project = await WebProject.StartAsync(dags, Token);
        project.Service<DagRunner.Sdk.SecretMasker>().Add(Secret);

        var list = await project.Http.GetStringAsync("/api/dags", Token);
        var one = await project.Http.GetStringAsync("/api/dags/etl", Token);
        using var missing = await project.Http.GetAsync("/api/dags/nope", Token);
        var notFound = await missing.Content.ReadAsStringAsync(Token);

        foreach (var answer in new[] { list, one, notFound })
        {
            Assert.DoesNotContain(Secret, answer, StringComparison.Ordinal);
            using var _ = JsonDocument.Parse(answer);
        }

        Assert.Contains("loads with *** (do not share)", list, StringComparison.Ordinal);
        Assert.Contains("t-***", one, StringComparison.Ordinal);
        Assert.Contains("cannot reach ***", notFound, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/json; charset=utf-8", missing.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Dags_ADagThatRanAndABrokenFile_ListsTheDagPausedWithItsRunAndTheImportError()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl, ["broken.csx"] = "var x = ;" }, Token);
        var dag = (await project.Service<DagCatalog>().FindAsync("etl", Token)).Dag!;
        var test = await project.Service<RunLauncher>().TestAsync(dag, RunInput.Request(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), null, TimeProvider.System), new DagRunObserver(), Token);
        await project.Service<DagCatalog>().SetPausedAsync(dag, paused: true, Token);

        using var answer = JsonDocument.Parse(await project.Http.GetStringAsync("/api/dags", Token));

        var listed = Assert.Single(answer.RootElement.GetProperty("dags").EnumerateArray());
        Assert.Equal("etl", listed.GetProperty("dagId").GetString());
        Assert.True(listed.GetProperty("paused").GetBoolean());
        Assert.Equal("@daily", listed.GetProperty("schedule").GetString());
        var run = Assert.Single(listed.GetProperty("recentRuns").EnumerateArray());
        Assert.Equal((test.RunId, "success"), (run.GetProperty("runId").GetString(), run.GetProperty("state").GetString()));
        var error = Assert.Single(answer.RootElement.GetProperty("importErrors").EnumerateArray());
        Assert.EndsWith("broken.csx", error.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, error.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Dag_KnownAndUnknownIds_AnswerTheDagOrA404NamingIt()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);

        using var known = JsonDocument.Parse(await project.Http.GetStringAsync("/api/dags/etl", Token));
        using var unknown = await project.Http.GetAsync("/api/dags/nope", Token);
        using var elsewhere = await project.Http.GetAsync("/no/such/page", Token);

        Assert.Equal(["extract", "load"], known.RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskId").GetString()));
        Assert.Equal(["extract"], known.RootElement.GetProperty("tasks")[1].GetProperty("upstream").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var why = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync(Token));
        Assert.Equal("DAG 'nope' was not found.", why.RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }
}
