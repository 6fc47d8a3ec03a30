using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DagRunner.LocalLivy;
using DagRunner.Testing;
using DagRunner.Testing.Ssh;

namespace DagRunner.EndToEnd.Tests;

/// <summary>spark-submit through the real executable: the two example DAGs (the SSH one against a real sshd on
/// loopback), and a scheduler killed with SIGKILL while spark-submit's app runs, restarted: it follows the
/// recorded app in YARN and the job is submitted once.</summary>
public sealed class SparkSubmitEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempFolder _home = new("dagrunner-submit-home");
    private readonly TempFolder _project = new("dagrunner-submit-crash");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _home.Dispose();
        _project.Dispose();
    }

    [Fact]
    public async Task ExampleSparkSubmitLocal_RunsOnTheEmbeddedLocalLivy_VerifiedInYarnAndSpark()
    {
        var (exit, output, error) = await DagRunnerProcess.RunAsync(DagRunnerProcess.RepositoryRoot, "dags", "test", "spark_submit_local", "--home", _home.Path);

        Assert.True(exit == 0, output + error);
        Assert.Contains("aggregate_cluster |   YARN: succeeded (FINISHED/SUCCEEDED)", output, StringComparison.Ordinal);
        Assert.Contains("aggregate_cluster |   Spark: succeeded", output, StringComparison.Ordinal);
        Assert.Contains("aggregate_client | pyspark is not installed; would aggregate returns for", output, StringComparison.Ordinal);
        Assert.Contains("Run succeeded.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExampleSshSubmit_RunsOverARealSshServer()
    {
        await using var ssh = await SshServer.StartAsync(Token);
        var uri = $"ssh://{ssh.UserName}@{ssh.Host}:{ssh.Port}?key-file={Uri.EscapeDataString(ssh.UserKeyFile)}&known-hosts={Uri.EscapeDataString(ssh.KnownHostsFile)}";

        var (exit, output, error) = await DagRunnerProcess.RunAsync(DagRunnerProcess.RepositoryRoot,
            new Dictionary<string, string> { ["DAGRUNNER_CONN_SSH_DEFAULT"] = uri }, "dags", "test", "ssh_submit", "--home", _home.Path);

        Assert.True(exit == 0, output + error + "\nsshd:\n" + ssh.Log);
        Assert.Contains("check_host | free on /tmp:", output, StringComparison.Ordinal);
        Assert.Contains($"Running spark-submit on ssh {ssh.UserName}@{ssh.Host}:{ssh.Port}", output, StringComparison.Ordinal);
        Assert.Contains("aggregate |   YARN: succeeded (FINISHED/SUCCEEDED)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchedulerKilledWhileTheAppRuns_RestartFollowsIt_SubmittedOnce()
    {
        var release = _project["release"];
        _project.Write("dags/submit_crash.csx", """
            var dag = new Dag("submit_crash") { Schedule = "@once", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
            dag.Add(new SparkSubmitOperator("submit") { Application = "local:///jobs/wait.py", DeployMode = "cluster", PollInterval = TimeSpan.FromMilliseconds(200) });
            """);
        // The app runs until the test releases it, after the first scheduler is dead: no guessed duration.
        _project.Write("templates/jobs/wait.py", $"import os, time\nwhile not os.path.exists({JsonSerializer.Serialize(release)}):\n    time.sleep(0.05)\nprint('released')\n");
        await using var livy = await LocalLivyServer.StartAsync(new LocalLivyOptions { Port = 0, JobsRoot = _project["templates"] }, Token);
        var home = _project["home"];

        using (var first = StartScheduler(livy, home))
        {
            await WaitForAsync(() => RecordedAppId(home) is not null, first);
            first.Kill(); // SIGKILL: what a crash leaves
            await first.WaitForExitAsync(Token);
        }

        File.WriteAllText(release, "");
        using var second = StartScheduler(livy, home);
        await WaitForAsync(() => RunState(home) is "success" or "failed", second);
        second.Kill();
        await second.WaitForExitAsync(Token);

        Assert.Equal("success", RunState(home));
        using var http = new HttpClient { BaseAddress = livy.BaseUrl };
        var apps = (await http.GetFromJsonAsync<JsonObject>("ws/v1/cluster/apps", Token))!["apps"]!["app"]!.AsArray();
        var app = Assert.Single(apps);
        Assert.Equal((RecordedAppId(home), "SUCCEEDED"), ((string?)app!["id"], (string?)app["finalStatus"]));
    }

    private Process StartScheduler(LocalLivyServer livy, string home) =>
        SchedulerProcess.Start(_project.Path, home, new Dictionary<string, string>
        {
            ["DAGRUNNER_CONN_LIVY_DEFAULT"] = livy.BaseUrl.ToString(),
            ["DAGRUNNER_CONN_YARN_DEFAULT"] = livy.BaseUrl.ToString(),
            ["DAGRUNNER_CONN_SPARK_DEFAULT"] = livy.BaseUrl.ToString(),
            ["DAGRUNNER_CONN_SPARK_SUBMIT_DEFAULT"] = $"spark-submit://yarn?spark-submit={Uri.EscapeDataString(livy.SparkSubmitPath)}&env.DAGRUNNER_LOCAL_LIVY={Uri.EscapeDataString(livy.BaseUrl.ToString())}",
        });

    private static Task WaitForAsync(Func<bool> condition, Process scheduler) => SchedulerProcess.WaitForAsync(condition, scheduler, Patience);

    private static string? RecordedAppId(string home) =>
        SchedulerProcess.Query(home, "SELECT json FROM remote_handle WHERE kind = 'spark_submit'", r => JsonNode.Parse(r.GetString(0))?["AppId"]?.GetValue<string>());

    private static string? RunState(string home) => SchedulerProcess.Query(home, "SELECT state FROM dag_run WHERE dag_id = 'submit_crash'", r => r.GetString(0).ToLowerInvariant());
}
