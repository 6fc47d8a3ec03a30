using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>
/// Spark code that kills its parent process (<c>os.kill(os.getppid(), 9)</c>), run by the real
/// <c>dags test</c> against the embedded LocalLivy, which lives in the runner's process: the code
/// reaches LocalLivy's launcher, not the runner. The task fails with a message that says what
/// happened, and the command ends normally with the failed run's exit code (never 137).
/// </summary>
public sealed class HostileStatementTests : IDisposable
{
    private const string KillParent = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nimport time\ntime.sleep(60)\n";

    private readonly TempFolder _project = new("dagrunner-e2e-hostile-statement");

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task DagsTest_SessionStatementKillsItsParent_TaskFailsClearly_RunnerEndsNormally()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The launcher is Unix only.");
        _project.Write("dags/kills_parent.csx", $$""""
            var dag = new Dag("kills_parent");
            var hostile = dag.Add(new LivySessionOperator("hostile")
            {
                Kind = SessionKind.PySpark,
                Statements = { Statement.Inline("{{KillParent.Replace("\n", "\\n", StringComparison.Ordinal)}}") },
            });
            """");
        Directory.CreateDirectory(_project["templates"]);

        var (exit, output, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "test", "kills_parent", "--home", _project["home"]);

        Assert.True(exit == 1, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("No livy_default connection: started the embedded LocalLivy", output, StringComparison.Ordinal);
        Assert.Contains("died while statement 1/1 ran (state dead)", output, StringComparison.Ordinal);
        Assert.Contains("parent process (LocalLivy's launcher) was killed", output, StringComparison.Ordinal);
        Assert.Contains("Run failed.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsTest_BatchKillsItsParent_TaskFailsClearly_RunnerEndsNormally()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The launcher is Unix only.");
        _project.Write("templates/jobs/kills_parent.py", KillParent);
        _project.Write("dags/batch_kills_parent.csx", """
            var dag = new Dag("batch_kills_parent");
            dag.Add(new LivyBatchOperator("hostile") { File = "local:///jobs/kills_parent.py" });
            """);

        var (exit, output, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "test", "batch_kills_parent", "--home", _project["home"]);

        Assert.True(exit == 1, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("parent process (LocalLivy's launcher) was killed", output, StringComparison.Ordinal);
        Assert.Contains("Run failed.", output, StringComparison.Ordinal);
    }
}
