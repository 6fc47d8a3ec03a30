using DagRunner.Clients.Emr;
using DagRunner.Operators.Emr;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Tests.Livy;

namespace DagRunner.Operators.Tests.Emr;

/// <summary>
/// EmrCreateJobFlowOperator and EmrTerminateJobFlowOperator against LocalLivy's EMR endpoint: a cluster's whole life
/// through the operators (a cluster template in the templates folder, steps on the created cluster through the
/// upstream task's output, termination), and a cluster never started twice when RunJobFlow's answer is lost or a
/// runner restarts before it read it.
/// </summary>
public sealed class EmrJobFlowOperatorTests(EmrFixture fixture) : IClassFixture<EmrFixture>, IDisposable
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private LivyTestbed Bed => fixture.Bed;

    public void Dispose() => Bed.Server.Faults.Emr.Clear();

    [Fact]
    public async Task Lifecycle_TemplateCluster_StepsOnItsId_Terminated()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        Bed.Jobs.Write("emr/nightly.json", $$$"""
            {
              // EMR's RunJobFlow request, as aws emr create-cluster --cli-input-json takes it
              "Name": "nightly-{{{unique}}}-{{ ds }}",
              "ReleaseLabel": "emr-7.5.0",
              "LogUri": "s3://emr-logs/{{ ds }}/",
              "Instances": { "MasterInstanceType": "m5.xlarge", "SlaveInstanceType": "m5.xlarge", "InstanceCount": 3, "KeepJobFlowAliveWhenNoSteps": true },
              "Applications": [ { "Name": "Spark" } ],
            }
            """);
        var create = new EmrCreateJobFlowOperator("create_cluster") { ClusterTemplate = "emr/nightly.json", StepConcurrencyLevel = 2, PollInterval = TimeSpan.FromMilliseconds(100) };
        var createLog = new StringWriter();

        var created = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await create.ExecuteAsync(Bed.Context("create_cluster", createLog), Token));

        var clusterId = Assert.IsType<string>(created["job_flow_id"]);
        Assert.Equal(("WAITING", "s3://emr-logs/2026-11-20/"), (created["state"], created["log_uri"]));
        var onTheWire = await Bed.RawClusterAsync(clusterId);
        Assert.Equal(2, (int)onTheWire["StepConcurrencyLevel"]!);
        Assert.Equal("emr-7.5.0", (string?)onTheWire["ReleaseLabel"]);
        Assert.StartsWith($"nightly-{unique}-2026-11-20-", (string?)onTheWire["Name"], StringComparison.Ordinal);
        Assert.Contains("\"StepConcurrencyLevel\": 2", createLog.ToString(), StringComparison.Ordinal);
        var handle = await Bed.Checkpoints.For("d", "manual__2026-11-20T00:00:00+00:00", "create_cluster", 1).LoadAsync<EmrJobFlowHandle>(EmrJobFlowHandle.Kind, Token);
        Assert.Equal((clusterId, "succeeded"), (handle!.ClusterId, handle.Verdict));

        var upstream = new Dictionary<string, object?> { ["create_cluster"] = created };
        var add = EmrBed.AddSteps("add_steps", "{{ outputs.create_cluster.job_flow_id }}", EmrBed.Spark(Bed.Job("print('on the new cluster')\n")));
        var added = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await add.ExecuteAsync(Bed.Context("add_steps", new StringWriter(), upstream), Token));
        Assert.Equal(clusterId, added["job_flow_id"]);
        Assert.Equal("COMPLETED", Assert.Single(await Bed.StepsAsync(clusterId)).Status.State);

        var terminate = new EmrTerminateJobFlowOperator("terminate_cluster") { JobFlowId = "{{ outputs.create_cluster.job_flow_id }}", PollInterval = TimeSpan.FromMilliseconds(100) };
        var terminateLog = new StringWriter();
        var ended = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await terminate.ExecuteAsync(Bed.Context("terminate_cluster", terminateLog, upstream), Token));

        Assert.Equal("TERMINATED", ended["state"]);
        Assert.Equal("TERMINATED", (await Bed.Emr().DescribeClusterAsync(clusterId, Token)).Status.State);
        Assert.Contains($"Asked EMR to terminate cluster {clusterId} (WAITING).", terminateLog.ToString(), StringComparison.Ordinal);

        // Terminating again (a retry) is harmless.
        var againLog = new StringWriter();
        var again = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await terminate.ExecuteAsync(Bed.Context("terminate_cluster", againLog, upstream, tryNumber: 2), Token));
        Assert.Equal("TERMINATED", again["state"]);
        Assert.Contains($"Cluster {clusterId} has already ended: TERMINATED", againLog.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LostRunJobFlowAnswer_ClusterFoundByName_OnlyOneStarted()
    {
        var create = new EmrCreateJobFlowOperator("lost_cluster") { ReleaseLabel = "emr-7.5.0", InstanceType = "m5.xlarge", PollInterval = TimeSpan.FromMilliseconds(100), LookupTimeout = TimeSpan.FromSeconds(3) };
        Bed.Server.Faults.Emr.DropAnswer("RunJobFlow");
        var log = new StringWriter();

        var created = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await create.ExecuteAsync(Bed.Context("lost_cluster", log), Token));

        var handle = await Bed.Checkpoints.For("d", "manual__2026-11-20T00:00:00+00:00", "lost_cluster", 1).LoadAsync<EmrJobFlowHandle>(EmrJobFlowHandle.Kind, Token);
        var named = await ClustersNamedAsync(handle!.Name);
        Assert.Equal(created["job_flow_id"], Assert.Single(named).Id);
        Assert.Equal(handle.ClusterId, created["job_flow_id"]);
        var text = log.ToString();
        Assert.Contains("EMR's answer to RunJobFlow was lost", text, StringComparison.Ordinal);
        Assert.Contains($"Found cluster {created["job_flow_id"]}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerErrorOnRunJobFlow_NoClusterStarted_AskedOnceMore_OnlyOneStarted()
    {
        var create = new EmrCreateJobFlowOperator("refused_cluster") { ReleaseLabel = "emr-7.5.0", InstanceType = "m5.xlarge", PollInterval = TimeSpan.FromMilliseconds(100), LookupTimeout = TimeSpan.FromSeconds(3) };
        Bed.Server.Faults.Emr.FailWithServerError("RunJobFlow");
        var log = new StringWriter();

        var created = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await create.ExecuteAsync(Bed.Context("refused_cluster", log), Token));

        var handle = await Bed.Checkpoints.For("d", "manual__2026-11-20T00:00:00+00:00", "refused_cluster", 1).LoadAsync<EmrJobFlowHandle>(EmrJobFlowHandle.Kind, Token);
        Assert.Equal(created["job_flow_id"], Assert.Single(await ClustersNamedAsync(handle!.Name)).Id);
        Assert.Contains("it did not start one, so it is asked once more", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartedRunner_HandleStillSubmitting_ClusterFoundByName_NoneStarted()
    {
        var log = new StringWriter();
        var context = Bed.Context("restarted_cluster", log);
        var name = BatchNaming.DefaultAttemptName(context);
        var existing = await Bed.Emr().RunJobFlowAsync(new EmrRunJobFlowRequest { Name = name, ReleaseLabel = "emr-7.5.0", Instances = new EmrInstances { KeepJobFlowAliveWhenNoSteps = true } }, Token);
        await context.Checkpoint.SaveAsync(EmrJobFlowHandle.Kind, new EmrJobFlowHandle(name, DateTimeOffset.UtcNow), Token);
        var create = new EmrCreateJobFlowOperator("restarted_cluster") { ReleaseLabel = "emr-7.5.0", InstanceType = "m5.xlarge", PollInterval = TimeSpan.FromMilliseconds(100), LookupTimeout = TimeSpan.FromSeconds(3) };

        var created = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await create.ExecuteAsync(context, Token));

        Assert.Equal(existing.JobFlowId, created["job_flow_id"]);
        Assert.Single(await ClustersNamedAsync(name));
        Assert.Contains("never read the answer: looking for it before another is started", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoTasksOfARun_SameClusterName_ServerError_DoesNotAdoptTheOthersCluster()
    {
        var name = $"shared-{Guid.NewGuid():N}";
        var first = new EmrCreateJobFlowOperator("cluster_a") { Name = name, ReleaseLabel = "emr-7.5.0", InstanceType = "m5.xlarge", PollInterval = TimeSpan.FromMilliseconds(100), LookupTimeout = TimeSpan.FromSeconds(3) };
        var firstCluster = (await first.ExecuteAsync(Bed.Context("cluster_a", new StringWriter()), Token) as IReadOnlyDictionary<string, object?>)!["job_flow_id"];
        var second = new EmrCreateJobFlowOperator("cluster_b") { Name = name, ReleaseLabel = "emr-7.5.0", InstanceType = "m5.xlarge", PollInterval = TimeSpan.FromMilliseconds(100), LookupTimeout = TimeSpan.FromSeconds(3) };
        Bed.Server.Faults.Emr.FailWithServerError("RunJobFlow");

        var secondCluster = (await second.ExecuteAsync(Bed.Context("cluster_b", new StringWriter()), Token) as IReadOnlyDictionary<string, object?>)!["job_flow_id"];

        Assert.NotEqual(firstCluster, secondCluster);
    }

    private async Task<List<EmrCluster>> ClustersNamedAsync(string name)
    {
        var found = new List<EmrCluster>();
        string? marker = null;
        do
        {
            var page = await Bed.Emr().ListClustersAsync(new EmrListClustersRequest { Marker = marker }, Token);
            found.AddRange(page.Clusters.Where(c => c.Name == name));
            marker = page.Marker;
        }
        while (marker is not null);
        return found;
    }
}
