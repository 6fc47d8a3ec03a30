using DagRunner.Operators.Emr;
using DagRunner.Operators.Tests.Livy;
using DagRunner.Sdk;

namespace DagRunner.Operators.Tests.Emr;

/// <summary>
/// EmrStepSensor and EmrJobFlowSensor against LocalLivy's EMR endpoint: a step added by an EmrAddStepsOperator that
/// does not wait (its output is the sensor's input), a failing step's details, and clusters waiting, terminated and
/// terminated with errors (a failed step whose ActionOnFailure ends the cluster).
/// </summary>
public sealed class EmrSensorTests(EmrFixture fixture) : IClassFixture<EmrFixture>, IDisposable
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private LivyTestbed Bed => fixture.Bed;

    public void Dispose() => Bed.Server.Faults.Emr.Clear();

    [Fact]
    public async Task StepSensor_StepCompletes_Succeeds()
    {
        var (cluster, added) = await AddWithoutWaitingAsync("sensed_ok", "print('ok')\n");
        var sensor = StepSensor();
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await sensor.ExecuteAsync(Bed.Context("wait_step", log, Upstream("sensed_ok", added)), Token));

        Assert.Equal((cluster, added["step_id"], "COMPLETED"), (output["job_flow_id"], output["step_id"], output["state"]));
        Assert.Contains($"step {added["step_id"]} on cluster {cluster} to reach COMPLETED: yes.", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepSensor_StepFails_FailsWithEmrsFailureDetailsAndStepLogs()
    {
        var (cluster, added) = await AddWithoutWaitingAsync("sensed_failing", "raise ValueError('bad row 17')\n", logUri: "s3://emr-logs/sensor");
        var sensor = StepSensor();

        var failure = await Assert.ThrowsAsync<EmrStepFailedException>(() => sensor.ExecuteAsync(Bed.Context("wait_failing_step", new StringWriter(), Upstream("sensed_failing", added)), Token));

        var stepId = (string)added["step_id"]!;
        Assert.Contains($"EMR step {stepId} (", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"on cluster {cluster} is FAILED", failure.Message, StringComparison.Ordinal);
        Assert.Contains("EMR's failure details: ValueError: bad row 17", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"Step logs: s3://emr-logs/sensor/{cluster}/steps/{stepId}/", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepSensor_ThrottledLongerThanTheClientRetries_PokesAgain()
    {
        var (_, added) = await AddWithoutWaitingAsync("sensed_throttled", "print('ok')\n");
        await Bed.WaitForStepAsync((string)added["job_flow_id"]!, (string)added["step_id"]!);
        // More throttles than the client's 30 retries: the first poke sees one, the second gets through.
        Bed.Server.Faults.Emr.Throttle("DescribeStep", 40);
        var sensor = StepSensor();
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await sensor.ExecuteAsync(Bed.Context("wait_throttled", log, Upstream("sensed_throttled", added)), Token));

        Assert.Equal("COMPLETED", output["state"]);
        Assert.Contains("this is not a no", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobFlowSensor_TargetWaiting_Succeeds()
    {
        var cluster = await Bed.StartClusterAsync();
        var sensor = new EmrJobFlowSensor("wait_cluster") { JobFlowId = cluster, PokeInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(60) };
        sensor.TargetStates.Clear();
        sensor.TargetStates.Add("WAITING");

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await sensor.ExecuteAsync(Bed.Context("wait_cluster", new StringWriter()), Token));

        Assert.Equal((cluster, "WAITING"), (output["job_flow_id"], output["state"]));
    }

    [Fact]
    public async Task JobFlowSensor_Default_ClusterTerminated_Succeeds()
    {
        var cluster = await Bed.StartClusterAsync();
        await Bed.Emr().TerminateJobFlowsAsync([cluster], Token);
        var sensor = new EmrJobFlowSensor("wait_terminated") { JobFlowId = cluster, PokeInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(60) };

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await sensor.ExecuteAsync(Bed.Context("wait_terminated", new StringWriter()), Token));

        Assert.Equal("TERMINATED", output["state"]);
    }

    [Fact]
    public async Task JobFlowSensor_Default_ClusterTerminatedWithErrors_Fails()
    {
        var cluster = await Bed.StartClusterAsync();
        var step = new EmrSparkStep { Application = Bed.Job("raise SystemExit(1)\n"), ActionOnFailure = "TERMINATE_CLUSTER" };
        var add = EmrBed.AddSteps("ends_cluster", cluster, step);
        add.WaitForCompletion = false;
        await add.ExecuteAsync(Bed.Context("ends_cluster", new StringWriter()), Token);
        var sensor = new EmrJobFlowSensor("wait_broken") { JobFlowId = cluster, PokeInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(60) };

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => sensor.ExecuteAsync(Bed.Context("wait_broken", new StringWriter()), Token));

        Assert.Contains($"EMR cluster {cluster} is TERMINATED_WITH_ERRORS (STEP_FAILURE", failure.Message, StringComparison.Ordinal);
    }

    private static EmrStepSensor StepSensor() => new("wait_step")
    {
        JobFlowId = "{{ outputs.add_steps.job_flow_id }}",
        StepId = "{{ outputs.add_steps.step_id }}",
        PokeInterval = TimeSpan.FromMilliseconds(50),
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static Dictionary<string, object?> Upstream(string taskId, IReadOnlyDictionary<string, object?> added) =>
        new() { ["add_steps"] = added, [taskId] = added };

    // The step added by an EmrAddStepsOperator that hands it to a sensor (WaitForCompletion false).
    private async Task<(string Cluster, IReadOnlyDictionary<string, object?> Added)> AddWithoutWaitingAsync(string taskId, string script, string? logUri = null)
    {
        var cluster = await Bed.StartClusterAsync(logUri: logUri);
        var add = EmrBed.AddSteps(taskId, cluster, EmrBed.Spark(Bed.Job(script)));
        add.WaitForCompletion = false;
        var added = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await add.ExecuteAsync(Bed.Context(taskId, new StringWriter()), Token));
        Assert.NotNull(added["step_id"]);
        return (cluster, added);
    }
}
