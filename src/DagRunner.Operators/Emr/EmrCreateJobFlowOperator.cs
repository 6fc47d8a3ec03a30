using DagRunner.Operators.Emr;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// Starts an EMR cluster (<c>RunJobFlow</c>) from a template, a <c>RunJobFlow</c> request written as EMR's JSON in the
/// templates folder (<see cref="ClusterTemplate"/>, rendered, <c>lit</c> writing JSON), with the typed fields over it,
/// and by default waits until it can take steps. The cluster's name is recorded before the call and its id as soon
/// as EMR answers: after a lost answer, in a retry or a restarted runner, the cluster is looked for by name
/// (<c>ListClusters</c>) before another is started. A timeout or a cancellation while it starts terminates it.
/// The output's <c>job_flow_id</c> is what <see cref="EmrAddStepsOperator.JobFlowId"/> takes.
/// </summary>
public sealed class EmrCreateJobFlowOperator : DagTask, ITemplatedOperator
{
    /// <summary>Creates the task.</summary>
    public EmrCreateJobFlowOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>A <c>RunJobFlow</c> request in EMR's JSON (as <c>aws emr create-cluster --cli-input-json</c> and the API
    /// reference spell it: <c>Instances</c>, <c>Configurations</c>, <c>BootstrapActions</c>, ...), a Scriban template in
    /// the templates folder, e.g. <c>emr/cluster.json</c>. Optional: the typed fields alone make a small cluster.</summary>
    public string? ClusterTemplate { get; set; }

    /// <summary>The cluster's name; a hash of the DAG, task and run and the try are appended (the cluster is found by name after a
    /// lost answer). Default: the template's <c>Name</c>, else <c>dagrunner-&lt;dag&gt;-&lt;task&gt;</c>.</summary>
    [Templated]
    public string? Name { get; set; }

    /// <summary>The EMR release, e.g. <c>emr-7.5.0</c>. Required here or in the template.</summary>
    [Templated]
    public string? ReleaseLabel { get; set; }

    /// <summary>Where EMR writes the cluster's and steps' logs, e.g. <c>s3://bucket/emr-logs/</c>. Default: the
    /// template's (none: step logs are then not linked).</summary>
    [Templated]
    public string? LogUri { get; set; }

    /// <summary>The instance type of the primary and core nodes, e.g. <c>m5.xlarge</c>. Default: the template's; one of
    /// the two must name the machines (or the template's instance groups or fleets do, and then this stays unset).</summary>
    [Templated]
    public string? InstanceType { get; set; }

    /// <summary>The number of instances (primary node included). Default: the template's, else 3.</summary>
    public int? InstanceCount { get; set; }

    /// <summary>How many steps may run at once (1 to 256). Default: the template's, else EMR's (1).</summary>
    public int? StepConcurrencyLevel { get; set; }

    /// <summary>Keep the cluster once it has no steps left (<c>KeepJobFlowAliveWhenNoSteps</c>). Default: the template's,
    /// else true: the cluster waits for steps, and an <see cref="EmrTerminateJobFlowOperator"/> ends it.</summary>
    public bool? KeepAlive { get; set; }

    /// <summary>The applications to install. Default: the template's, else <c>Spark</c>.</summary>
    [Templated]
    public IList<string> Applications { get; } = new List<string>();

    /// <summary>The EMR service role. Default: the template's, else <c>EMR_DefaultRole</c>.</summary>
    [Templated]
    public string? ServiceRole { get; set; }

    /// <summary>The EC2 instance profile. Default: the template's, else <c>EMR_EC2_DefaultRole</c>.</summary>
    [Templated]
    public string? JobFlowRole { get; set; }

    /// <summary>Tags added to the template's. DagRunner adds <c>dagrunner:dag</c>, <c>dagrunner:task</c> and <c>dagrunner:run</c>.</summary>
    [Templated]
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Wait until the cluster can take steps (<c>WAITING</c> or <c>RUNNING</c>). Default: true.</summary>
    public bool WaitForReady { get; set; } = true;

    /// <summary>The slowest interval between two <c>DescribeCluster</c> calls while it starts. Default: 30 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long EMR may take to list a cluster by name after a lost <c>RunJobFlow</c> answer before it is taken
    /// for not started (and asked for once more). Default: 1 minute.</summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long EMR may stay unreachable while the cluster starts before the task fails, saying so (the
    /// cluster is left to a retry, which follows it). Default: 10 minutes.</summary>
    public TimeSpan UnreachableTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long terminating the cluster may take after a timeout or a cancellation. Default: 3 minutes.</summary>
    public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The AWS connection. Default: <c>aws_default</c>.</summary>
    [Templated]
    public string AwsConnectionId { get; set; } = "aws_default";

    IReadOnlyList<string> ITemplatedOperator.TemplateFiles => ClusterTemplate is { Length: > 0 } file ? [file] : [];

    PreviewRequest? ITemplatedOperator.RequestPreview(RenderedTask rendered, TaskContext context) =>
        new("RunJobFlow", "run-job-flow.json", "json", SecretMask.From(context.Params, context.Conf).Apply(
            context.Secrets.Mask(EmrClusterRequest.Build(this, rendered, context, CancellationToken.None).ToJsonString(EmrClusterRequest.Indented))!));

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        var clients = RemoteClients.For(context);
        return RemoteFailures.AsTaskFailuresAsync(() => new EmrJobFlowRun(this, fields, context, clients).RunAsync(cancellationToken));
    }
}
