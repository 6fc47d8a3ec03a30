using DagRunner.Clients.Connections;
using DagRunner.Clients.Emr;
using DagRunner.Engine.Definitions;
using DagRunner.Hosting.LocalLivy;
using DagRunner.LocalLivy;
using DagRunner.Operators;
using DagRunner.Sdk;
using DagRunner.Testing;

namespace DagRunner.Hosting.Tests.LocalLivy;

/// <summary>EMR tasks and the embedded LocalLivy: an EMR DAG gets it (and its EMR endpoint) only when its AWS
/// connection is not configured; the connection it is given points at the server's EMR endpoint.</summary>
public sealed class EmbeddedLivyEmrTests
{
    private static DagDefinition DagOf(params DagTask[] tasks) => new()
    {
        DagId = "emr",
        File = "emr.csx",
        Tasks = [.. tasks.Select(t => new TaskDefinition { TaskId = t.TaskId, Operator = t.GetType().Name, Policy = new TaskPolicy(), Instance = t })],
    };

    private static DagDefinition EmrOnly() => DagOf(
        new EmrCreateJobFlowOperator("create") { ReleaseLabel = "emr-7.5.0" },
        new EmrAddStepsOperator("steps") { JobFlowId = "j-1", Steps = { new EmrSparkStep { Application = "s3://b/a.py" } } },
        new EmrTerminateJobFlowOperator("terminate") { JobFlowId = "j-1" });

    [Fact]
    public void Needed_EmrOnlyDag_AwsDefaultNotConfigured_Needed()
    {
        var asked = new List<string>();

        Assert.True(EmbeddedLivy.Needed(EmrOnly(), id => { asked.Add(id); return false; }));
        Assert.Contains("aws_default", asked);
    }

    [Fact]
    public void Needed_EmrOnlyDag_AwsDefaultConfigured_NotNeeded() =>
        Assert.False(EmbeddedLivy.Needed(EmrOnly(), id => id == "aws_default"));

    [Fact]
    public void Needed_EmrTaskWithItsOwnAwsConnection_AskedForThatConnection()
    {
        var dag = DagOf(new EmrAddStepsOperator("steps") { AwsConnectionId = "aws_prod", JobFlowId = "j-1" });

        Assert.False(EmbeddedLivy.Needed(dag, id => id == "aws_prod"));
        Assert.True(EmbeddedLivy.Needed(dag, id => id == "aws_default"));
    }

    [Fact]
    public void Needed_EmrSensorsAlone_FollowTheirConnection()
    {
        var dag = DagOf(new EmrStepSensor("wait") { JobFlowId = "j-1", StepId = "s-1" }, new EmrJobFlowSensor("cluster") { JobFlowId = "j-1" });

        Assert.True(EmbeddedLivy.Needed(dag, _ => false));
        Assert.False(EmbeddedLivy.Needed(dag, _ => true));
    }

    [Fact]
    public void Needed_ShellOnlyDag_NotNeededWhateverIsConfigured() =>
        Assert.False(EmbeddedLivy.Needed(DagOf(new ShellOperator("hello") { Command = "echo hi" }), _ => false));

    [Fact]
    public void Needed_LivyTaskBesideEmrTasks_NeededEvenWithAwsConfigured() =>
        Assert.True(EmbeddedLivy.Needed(DagOf(new EmrAddStepsOperator("steps"), new LivyBatchOperator("job") { File = "local:///jobs/x.py" }), _ => true));

    [Fact]
    public async Task LocalAwsUri_ParsesAsAnAwsConnection_WithTheServersEmrEndpoint()
    {
        using var folder = new TempFolder("embedded-emr");
        await using var server = await LocalLivyServer.StartAsync(
            new LocalLivyOptions { Port = 0, JobsRoot = folder.Path, StateFolder = folder["state"] }, TestContext.Current.CancellationToken);

        var uri = EmbeddedLivy.LocalAwsUri(server);
        var options = EmrConnection.Options(Connection.Parse("aws_default", uri), TimeProvider.System);

        Assert.Equal(server.EmrUrl, options.Endpoint);
        Assert.Equal(server.EmrUrl, options.ResolvedEndpoint);
        Assert.Equal("us-east-1", options.Region);
        Assert.NotNull(options.Credentials);
        Assert.Equal("local-livy", options.Credentials.AccessKeyId);
        // Its made-up key is masked like any secret; the endpoint stays readable.
        Assert.Contains(server.EmrUrl.Authority, Connection.MaskUri(Uri.UnescapeDataString(uri)), StringComparison.Ordinal);
        Assert.DoesNotContain("local-livy-key", Connection.MaskUri(uri), StringComparison.Ordinal);
    }
}
