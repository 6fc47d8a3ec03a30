using DagRunner.Clients.Emr;
using DagRunner.LocalLivy;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Emr;

/// <summary>
/// The EMR client against LocalLivy's EMR endpoint, over real HTTP: the two were written apart (the client from AWS's
/// protocol, the endpoint from EMR's API reference), so this is where a misunderstanding of either shows. A cluster is
/// created, a Spark step runs to its end and the cluster is terminated; a lost AddJobFlowSteps answer leaves one step,
/// found by name; throttled reads are retried.
/// </summary>
public sealed class EmrClientOnLocalLivyTests : IAsyncLifetime
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly TempFolder _jobs = new("emr-jobs");
    private LocalLivyServer? _server;
    private EmrClient? _client;

    private LocalLivyServer Server => _server!;
    private EmrClient Client => _client!;

    public async ValueTask InitializeAsync()
    {
        _server = await LocalLivyServer.StartAsync(new LocalLivyOptions { Port = 0, JobsRoot = _jobs.Path }, Token);
        _client = new EmrClient(new EmrOptions
        {
            Region = "us-east-1",
            Endpoint = Server.EmrUrl,
            Credentials = new EmrCredentials("AKIDLOCALTEST", "local-secret-key"),
            RetryDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        });
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        _jobs.Dispose();
    }

    [Fact]
    public async Task ClusterCreated_SparkStepRuns_ClusterTerminated()
    {
        File.WriteAllText(Path.Combine(_jobs.Path, "count.py"), "import sys\nprint('counted', sys.argv[1:])\n");
        var cluster = await StartClusterAsync();

        var ids = await Client.AddJobFlowStepsAsync(cluster, [SparkStep("count", "count.py", "--day", "2026-11-20")], Token);
        var step = await WaitForStepAsync(cluster, Assert.Single(ids));
        await Client.TerminateJobFlowsAsync([cluster], Token);
        var ended = await WaitForClusterAsync(cluster, "TERMINATED");

        Assert.Equal("COMPLETED", step.Status.State);
        Assert.Equal("count", step.Name);
        Assert.Equal("TERMINATED", ended);
    }

    [Fact]
    public async Task FailingStep_HasItsFailureDetails()
    {
        File.WriteAllText(Path.Combine(_jobs.Path, "fail.py"), "raise SystemExit('no input for 2026-11-20')\n");
        var cluster = await StartClusterAsync();

        var ids = await Client.AddJobFlowStepsAsync(cluster, [SparkStep("fail", "fail.py")], Token);
        var step = await WaitForStepAsync(cluster, Assert.Single(ids));

        Assert.Equal("FAILED", step.Status.State);
        Assert.NotNull(step.Status.FailureDetails);
        Assert.False(string.IsNullOrWhiteSpace(step.Status.FailureDetails!.Message ?? step.Status.FailureDetails.Reason));
    }

    [Fact]
    public async Task LostAddJobFlowStepsAnswer_IsNotResent_AndTheStepIsFoundByName()
    {
        File.WriteAllText(Path.Combine(_jobs.Path, "once.py"), "print('once')\n");
        var cluster = await StartClusterAsync();
        Server.Faults.Emr.DropAnswer("AddJobFlowSteps");

        var lost = await Assert.ThrowsAsync<EmrException>(() => Client.AddJobFlowStepsAsync(cluster, [SparkStep("once-20261120", "once.py")], Token));
        var page = await Client.ListStepsAsync(new EmrListStepsRequest { ClusterId = cluster }, Token);

        Assert.Equal("AddJobFlowSteps", lost.Operation);
        var step = Assert.Single(page.Steps);
        Assert.Equal("once-20261120", step.Name);
        Assert.Equal("COMPLETED", (await WaitForStepAsync(cluster, step.Id)).Status.State);
    }

    [Fact]
    public async Task ThrottledReads_AreRetried_ThrottledAddJobFlowSteps_IsNot()
    {
        var cluster = await StartClusterAsync();
        Server.Faults.Emr.Throttle("DescribeCluster", 2);
        Server.Faults.Emr.Throttle("AddJobFlowSteps");

        var described = await Client.DescribeClusterAsync(cluster, Token);
        var refused = await Assert.ThrowsAsync<EmrException>(() => Client.AddJobFlowStepsAsync(cluster, [SparkStep("never", "never.py")], Token));
        var page = await Client.ListStepsAsync(new EmrListStepsRequest { ClusterId = cluster }, Token);

        Assert.Equal(cluster, described.Id);
        Assert.Equal("ThrottlingException", refused.ErrorCode);
        Assert.Empty(page.Steps);
    }

    private static EmrStepConfig SparkStep(string name, string file, params string[] args) => new()
    {
        Name = name,
        ActionOnFailure = "CONTINUE",
        HadoopJarStep = new EmrHadoopJarStep { Jar = "command-runner.jar", Args = ["spark-submit", "--deploy-mode", "cluster", $"local:///{file}", .. args] },
    };

    private async Task<string> StartClusterAsync()
    {
        var created = await Client.RunJobFlowAsync(new EmrRunJobFlowRequest
        {
            Name = "emr-client-test",
            ReleaseLabel = "emr-7.5.0",
            Instances = new EmrInstances { KeepJobFlowAliveWhenNoSteps = true },
        }, Token);
        await WaitForClusterAsync(created.JobFlowId, "WAITING");
        return created.JobFlowId;
    }

    // The steps are real python3 processes: polled with a deadline, not slept on.
    private async Task<EmrStep> WaitForStepAsync(string cluster, string stepId)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var step = await Client.DescribeStepAsync(cluster, stepId, deadline.Token);
            if (step.Status.IsTerminal)
                return step;
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }

    private async Task<string> WaitForClusterAsync(string cluster, string state)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var described = await Client.DescribeClusterAsync(cluster, deadline.Token);
            if (described.Status.State == state)
                return described.Status.State;
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }
}
