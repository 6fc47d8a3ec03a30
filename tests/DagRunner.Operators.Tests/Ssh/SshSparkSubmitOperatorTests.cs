using System.Text.Json;
using DagRunner.Operators.SparkSubmit;
using DagRunner.Operators.Tests.Livy;
using DagRunner.Operators.Tests.SparkSubmit;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Ssh;

/// <summary>SshSparkSubmitOperator: spark-submit (LocalLivy's entry point) run over a real SSH connection, its
/// apps verified in the server's YARN; the connection cut mid-run, arguments through the remote shell, cancellation.</summary>
public sealed class SshSparkSubmitOperatorTests(SshFixture ssh) : IClassFixture<SshFixture>, IAsyncLifetime
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;
    private LivyTestbed _bed = null!;

    public async ValueTask InitializeAsync()
    {
        _bed = await SparkSubmitBed.StartAsync();
        _bed.Connections["ssh_default"] = ssh.KeyUri();
    }

    public ValueTask DisposeAsync() => _bed.DisposeAsync();

    private SshSparkSubmitOperator Task(string file, string script, string deployMode = "cluster")
    {
        _bed.Jobs.Write(file, script);
        return new SshSparkSubmitOperator("remote_submit") { Application = Path.Join(_bed.Jobs.Path, file), DeployMode = deployMode, PollInterval = TimeSpan.FromMilliseconds(100), VerifyTimeout = TimeSpan.FromSeconds(10) };
    }

    [Fact]
    public async Task ClusterMode_Succeeds_OverSsh()
    {
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await Task("ok.py", "print('ok')\n").ExecuteAsync(_bed.Context("remote_submit", log), Token));

        Assert.Equal($"ssh {ssh.Server.UserName}@{ssh.Server.Host}:{ssh.Server.Port}", output["host"]);
        var app = Assert.Single(await _bed.AppsTaggedAsync((string)output["yarn_tag"]!));
        Assert.Equal((output["app_id"], "SUCCEEDED"), (app.Id, app.FinalStatus));
    }

    [Fact]
    public async Task Arguments_ReachTheAppUnchanged_ThroughTheRemoteShell()
    {
        var result = Path.Join(_bed.Jobs.Path, "argv.json");
        var task = Task("argv.py", "import json, sys\nopen(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))\n", deployMode: "client");
        string[] args = ["two words", "it's \"quoted\"", "$HOME and `date` and $(id)", "--weird", "", "back\\slash;|&*"];
        task.Args.Add(result);
        foreach (var arg in args)
            task.Args.Add(arg);

        await task.ExecuteAsync(_bed.Context("remote_submit", new StringWriter()), Token);

        Assert.Equal(args, JsonSerializer.Deserialize<string[]>(File.ReadAllText(result)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task ConnectionCutMidRun_FollowedInYarnToItsTrueOutcome_SubmittedOnce(int exitCode)
    {
        var release = Path.Join(_bed.Jobs.Path, $"release-{Guid.NewGuid():N}");
        var task = Task($"waits-{exitCode}.py", $"import os, sys, time\nwhile not os.path.exists({JsonSerializer.Serialize(release)}):\n    time.sleep(0.05)\nsys.exit({exitCode})\n");
        var recorded = new TaskCompletionSource();
        var log = new SignalOnLine("[dagrunner] spark-submit submitted app", recorded);

        var running = task.ExecuteAsync(_bed.Context("remote_submit", log), Token);
        await recorded.Task.WaitAsync(Token);
        Assert.True(await ssh.Server.KillSessionsAsync(Token) >= 1, "no SSH session was cut");
        File.WriteAllText(release, "");

        var handle = await _bed.Checkpoints.For("d", "manual__2026-11-20T00:00:00+00:00", "remote_submit", 1).LoadAsync<SparkSubmitHandle>(SparkSubmitHandle.Kind, Token);
        if (exitCode == 0)
        {
            var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await running);
            Assert.Equal(handle!.AppId, output["app_id"]);
        }
        else
        {
            var failure = await Assert.ThrowsAsync<SparkSubmitFailedException>(() => running);
            Assert.Contains("YARN: FINISHED/FAILED", failure.Message, StringComparison.Ordinal);
        }

        Assert.Contains("The SSH connection to", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("its app is followed in YARN, never submitted again", log.ToString(), StringComparison.Ordinal);
        Assert.Single(await _bed.AppsTaggedAsync(handle!.Tag));
    }

    [Fact]
    public async Task Cancelled_RemoteSparkSubmitAndAppAreKilled()
    {
        var task = Task($"slow-{Guid.NewGuid():N}.py", "import time\ntime.sleep(600)\n");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var log = new CancelOnLine("[dagrunner] spark-submit submitted app", cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.ExecuteAsync(_bed.Context("remote_submit", log), cancel.Token));

        var handle = await _bed.Checkpoints.For("d", "manual__2026-11-20T00:00:00+00:00", "remote_submit", 1).LoadAsync<SparkSubmitHandle>(SparkSubmitHandle.Kind, Token);
        Assert.Equal("KILLED", Assert.Single(await _bed.AppsTaggedAsync(handle!.Tag)).State);
        Assert.False(SparkSubmitBed.ProcessRunning(handle.Tag), $"the remote spark-submit was left running:\n{log}");
    }

    [Fact]
    public async Task RestartedBeforeAnAppIdWasRead_TheEarlierRemoteSparkSubmitIsStoppedBeforeSubmitting()
    {
        var task = Task("after-restart.py", "print('ran once')\n");
        var context = _bed.Context("remote_submit", new StringWriter());
        var tag = DagRunner.Operators.Livy.Batch.BatchNaming.Tag(context);
        await context.Checkpoint.SaveAsync(SparkSubmitHandle.Kind, new SparkSubmitHandle(tag, $"ssh {ssh.Server.UserName}@{ssh.Server.Host}:{ssh.Server.Port}"), Token);
        // A long command line first, as a JVM's classpath is: the tag is found past pgrep's 4 KB too.
        using var earlier = System.Diagnostics.Process.Start("python3", ["-c", "import time; time.sleep(600)", new string('x', 5000), "--conf", $"spark.yarn.tags=team,{tag}"]);
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(_bed.Context("remote_submit", log), Token));

        Assert.Contains("Stopped the earlier spark-submit", log.ToString(), StringComparison.Ordinal);
        Assert.True(earlier.WaitForExit(TimeSpan.FromSeconds(10)), "the earlier spark-submit was left running");
        Assert.Equal(output["app_id"], Assert.Single(await _bed.AppsTaggedAsync(tag)).Id);
    }

    // Completes when a line containing the trigger is written: the test acts on progress, not on time.
    private sealed class SignalOnLine(string trigger, TaskCompletionSource signal) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            lock (this)
                base.WriteLine(value);
            if (value?.Contains(trigger, StringComparison.Ordinal) == true)
                signal.TrySetResult();
        }

        public override string ToString()
        {
            lock (this)
                return base.ToString();
        }
    }
}
