using DagRunner.Operators.Emr;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating.Literals;

namespace DagRunner.Operators;

/// <summary>
/// Adds steps to an EMR cluster (<c>AddJobFlowSteps</c>) and, by default, follows them to their end: Spark
/// steps (<see cref="EmrSparkStep"/>, spark-submit through <c>command-runner.jar</c> built from typed fields)
/// and any other (<see cref="EmrCommandStep"/>). The steps' names and ids are recorded before anything is
/// waited for; <c>AddJobFlowSteps</c> is never sent twice blindly: after a lost answer, or in a retry or a
/// restarted runner, the steps are looked for by name among the cluster's first. A step's outcome is EMR's
/// <c>DescribeStep</c>, and for a Spark step also YARN's and Spark's (<see cref="VerifyIn"/>), its app found
/// by the attempt's YARN tag; EMR's failure details and the step's log folder go into the task log. A
/// timeout or a cancellation cancels the steps (<c>CancelSteps</c>) and kills their apps in YARN.
/// </summary>
public sealed class EmrAddStepsOperator : DagTask, ITemplatedOperator
{
    /// <summary>Creates the task.</summary>
    public EmrAddStepsOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The cluster's id (<c>j-...</c>), e.g. <c>{{ outputs.create_cluster.job_flow_id }}</c>. Required.</summary>
    [Templated]
    public string JobFlowId { get; set; } = string.Empty;

    /// <summary>The steps, added in one call, in order. At least one.</summary>
    [Templated]
    public IList<EmrStepDefinition> Steps { get; } = new List<EmrStepDefinition>();

    /// <summary>The IAM role the steps run as (<c>ExecutionRoleArn</c>, for clusters with runtime roles). Default: none.</summary>
    [Templated]
    public string? ExecutionRoleArn { get; set; }

    /// <summary>Follow the steps until they end, and decide the task's outcome on theirs. Default: true. When
    /// false the task ends once the steps are added, with their ids as output, for an <see cref="EmrStepSensor"/>.</summary>
    public bool WaitForCompletion { get; set; } = true;

    /// <summary>Where a Spark step's outcome is checked besides EMR's step state: <see cref="Operators.VerifyIn.Yarn"/>
    /// (its app, found by the attempt's YARN tag, must end <c>FINISHED</c>/<c>SUCCEEDED</c>) and
    /// <see cref="Operators.VerifyIn.Spark"/> (its jobs). Either needs <see cref="YarnConnectionId"/> configured (the
    /// cluster's ResourceManager, port 8088), Spark also <see cref="SparkConnectionId"/>: checked before anything is
    /// added. Default: <see cref="Operators.VerifyIn.None"/>: EMR's step state decides (a ResourceManager is seldom
    /// reachable from outside the cluster's network, and another cluster's would never know the app).</summary>
    public VerifyIn VerifyIn { get; set; } = VerifyIn.None;

    /// <summary>The slowest interval between two <c>DescribeStep</c> calls while steps run (polls start fast and
    /// slow down to it). Default: 15 seconds (EMR throttles callers that ask too often).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long YARN and Spark may take to show how an app ended, and how long EMR may take to list steps
    /// by name after a lost answer before they are taken for not added. Default: 1 minute.</summary>
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long EMR may stay unreachable while steps are followed before the task fails, saying so.
    /// Default: 10 minutes.</summary>
    public TimeSpan UnreachableTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long cancelling the steps and killing their apps may take after a timeout or a cancellation.
    /// Default: 3 minutes.</summary>
    public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The AWS connection: <c>aws://REGION</c>, with keys or the default AWS chain, and an endpoint
    /// override. Default: <c>aws_default</c>.</summary>
    [Templated]
    public string AwsConnectionId { get; set; } = "aws_default";

    /// <summary>The YARN ResourceManager connection used to verify Spark steps. Default: <c>yarn_default</c>.</summary>
    [Templated]
    public string YarnConnectionId { get; set; } = "yarn_default";

    /// <summary>The Spark REST connection used when <see cref="VerifyIn"/> includes Spark. Default: <c>spark_default</c>.</summary>
    [Templated]
    public string SparkConnectionId { get; set; } = "spark_default";

    // Arguments and conf reach the first Spark step's application: their literals are in its language.
    LiteralLanguage ITemplatedOperator.FieldLanguage =>
        Path.GetExtension(Steps.OfType<EmrSparkStep>().FirstOrDefault()?.Application ?? "").ToUpperInvariant() switch
        {
            ".PY" => LiteralLanguage.Python,
            ".R" => LiteralLanguage.R,
            _ => LiteralLanguage.Scala,
        };

    PreviewRequest? ITemplatedOperator.RequestPreview(RenderedTask rendered, TaskContext context) =>
        new("AddJobFlowSteps", "add-job-flow-steps.json", "json",
            EmrStepPlan.RequestJson(rendered.Text(nameof(JobFlowId)) ?? "", EmrStepPlan.Build(this, rendered, context), context));

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        var clients = RemoteClients.For(context);
        return RemoteFailures.AsTaskFailuresAsync(() => new EmrStepsRun(this, fields, context, clients).RunAsync(cancellationToken));
    }
}
