using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DagRunner.Engine.Execution;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;

namespace DagRunner.Web.Tests.Tasks;

/// <summary>The task instance page over real HTTP, after real runs against LocalLivy on loopback: the
/// evidence panel of a batch Livy calls a success and YARN and Spark do not, a session's statements
/// exactly as Livy received them, and no connection password or secret conf anywhere.</summary>
public sealed class TaskInstancePageTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClusterModeCheck_TheVerifyingTasksPage_SaysLivySucceededYarnAndSparkFailedVerdictFailed()
    {
        await using var project = await LivyWebProject.StartAsync(new Dictionary<string, string>
        {
            ["dags/cluster_mode_check.csx"] = LivyWebProject.Repository("dags/cluster_mode_check.csx"),
            ["dags/_defaults.csx"] = LivyWebProject.Repository("dags/_defaults.csx"),
            ["templates/jobs/failing_job.py"] = LivyWebProject.Repository("templates/jobs/failing_job.py"),
        }, Token);
        var dag = (await project.Service<DagCatalog>().FindAsync("cluster_mode_check", Token)).Dag!;
        var run = await project.Service<RunLauncher>().TestAsync(dag, RunInput.Request(Day, null, TimeProvider.System), new DagRunObserver(), Token);

        var page = await project.Http.GetStringAsync(WebRoutes.TaskInstance("cluster_mode_check", run.RunId, "verifies"), Token);
        var believed = await project.Http.GetStringAsync(WebRoutes.TaskInstance("cluster_mode_check", run.RunId, "believes_livy"), Token);

        Assert.Contains("data-task-state=\"failed\"", page, StringComparison.Ordinal);
        Assert.Contains("<section class=\"evidence\" data-kind=\"livy_batch\">", page, StringComparison.Ordinal);
        Assert.Equal("Livy succeeded success", Html.SourceRow(page, "Livy"));
        Assert.StartsWith("YARN failed FINISHED/FAILED, diagnostics: User application exited with status 1", Html.SourceRow(page, "YARN"), StringComparison.Ordinal);
        Assert.Equal("Spark failed the driver exited with code 1", Html.SourceRow(page, "Spark"));
        Assert.Contains("data-verdict=\"failed\"", page, StringComparison.Ordinal);
        Assert.Contains("Livy said succeeded, YARN said failed, Spark said failed", Html.Text(page), StringComparison.Ordinal);
        var app = Regex.Match(page, "application_[0-9]+_[0-9]+").Value;
        Assert.Contains($"href=\"http://127.0.0.1:{project.Livy.Port}/cluster/app/{app}\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"http://127.0.0.1:{project.Proxy.BaseUrl.Port}/ui/batch/", page, StringComparison.Ordinal);
        Assert.Contains("YARN: FAILED (FINISHED/FAILED", Html.Log(page), StringComparison.Ordinal);
        Assert.Contains("the sources disagree", page, StringComparison.Ordinal);
        // Livy alone was asked by the task that believes it, and it said success.
        Assert.Contains("data-verdict=\"succeeded\"", believed, StringComparison.Ordinal);
        Assert.Equal("Livy succeeded success", Html.SourceRow(believed, "Livy"));
        foreach (var shown in new[] { page, believed })
        {
            Assert.DoesNotContain(LivyWebProject.Password, shown, StringComparison.Ordinal);
            Assert.DoesNotMatch("href=\"[^\"]*alice", shown);
        }
    }

    [Fact]
    public async Task Session_EachStatementIsShownByteForByteAsLivyReceivedIt_TheSecretOneMasked()
    {
        const string Dag = """
            var dag = new Dag("report") { StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
            dag.Add(new LivySessionOperator("report")
            {
                PollInterval = TimeSpan.FromMilliseconds(200),
                Statements =
                {
                    Statement.Inline("\n# <b>tags</b> & 'quotes' & \"double\", a\ttab, trailing spaces   \nx = 1 + 1\nprint('x is', x, 'é')\n"),
                    Statement.Inline("print('pw', {{ dag_run.conf.db_password | lit }})"),
                },
            });
            """;
        await using var project = await LivyWebProject.StartAsync(new Dictionary<string, string> { ["dags/report.csx"] = Dag }, Token);
        var dag = (await project.Service<DagCatalog>().FindAsync("report", Token)).Dag!;
        Assert.True(RunInput.TryParseConf("""{"db_password": "hunter2-conf"}""", out var conf, out _));
        var run = await project.Service<RunLauncher>().TestAsync(dag, RunInput.Request(Day, conf, TimeProvider.System), new DagRunObserver(), Token);
        Assert.Equal(TaskState.Success, Assert.Single(run.Tasks).State);

        var page = await project.Http.GetStringAsync(WebRoutes.TaskInstance("report", run.RunId, "report"), Token);

        var received = project.Proxy.Requests
            .Where(r => r.Method == "POST" && Regex.IsMatch(r.Path, "^/sessions/[0-9]+/statements$"))
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("code").GetString()!)
            .ToList();
        var shown = Html.StatementCodes(page);
        Assert.Equal(2, received.Count);
        Assert.Equal(2, shown.Count);
        Assert.Equal(received[0], shown[0]);
        Assert.StartsWith("\n# <b>tags</b> & 'quotes' & \"double\", a\ttab, trailing spaces   \n", shown[0], StringComparison.Ordinal);
        Assert.Contains("hunter2-conf", received[1], StringComparison.Ordinal);
        Assert.Equal(received[1].Replace("hunter2-conf", "***", StringComparison.Ordinal), shown[1]);
        Assert.Contains("<section class=\"evidence\" data-kind=\"livy_session\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-conf", page, StringComparison.Ordinal);
        Assert.DoesNotContain(LivyWebProject.Password, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SparkSubmit_TheEvidencePanel_SaysWhatSparkSubmitAndYarnSaid_WithTheAppsLinks()
    {
        const string Dag = """
            var dag = new Dag("submit") { StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
            dag.Add(new SparkSubmitOperator("lying_exit") { Application = "local:///jobs/fails.py", DeployMode = "cluster", Conf = { ["livy.local.cluster-mode-quirk"] = "true" }, PollInterval = TimeSpan.FromMilliseconds(200) });
            """;
        await using var project = await LivyWebProject.StartAsync(new Dictionary<string, string>
        {
            ["dags/submit.csx"] = Dag,
            ["templates/jobs/fails.py"] = "import sys\nsys.exit(4)\n",
        }, Token);
        var dag = (await project.Service<DagCatalog>().FindAsync("submit", Token)).Dag!;
        var run = await project.Service<RunLauncher>().TestAsync(dag, RunInput.Request(Day, null, TimeProvider.System), new DagRunObserver(), Token);

        var page = await project.Http.GetStringAsync(WebRoutes.TaskInstance("submit", run.RunId, "lying_exit"), Token);

        Assert.Contains("<section class=\"evidence\" data-kind=\"spark_submit\">", page, StringComparison.Ordinal);
        Assert.Equal("spark-submit succeeded exit code 0", Html.SourceRow(page, "spark-submit"));
        Assert.StartsWith("YARN failed FINISHED/FAILED", Html.SourceRow(page, "YARN"), StringComparison.Ordinal);
        Assert.Contains("data-verdict=\"failed\"", page, StringComparison.Ordinal);
        var app = Regex.Match(page, "application_[0-9]+_[0-9]+").Value;
        Assert.Contains($"href=\"http://127.0.0.1:{project.Livy.Port}/cluster/app/{app}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(LivyWebProject.Password, page, StringComparison.Ordinal);
    }
}
