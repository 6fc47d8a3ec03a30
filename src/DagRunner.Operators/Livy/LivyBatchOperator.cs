using DagRunner.Clients.Livy;
using DagRunner.Operators.Livy;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating.Literals;

namespace DagRunner.Operators;

/// <summary>
/// Submits a Spark application as a Livy batch (<c>POST /batches</c>), follows it to a final
/// state, streams its log, and verifies the outcome in YARN and/or Spark (<see cref="VerifyIn"/>).
/// Fields carry Livy's names; every string is a template.
/// </summary>
public sealed class LivyBatchOperator : LivyJobOperator, ITemplatedOperator
{
    /// <summary>Creates the task.</summary>
    public LivyBatchOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The application: a jar, <c>.py</c> or <c>.R</c> URI, e.g. <c>local:///jobs/etl.py</c>. Required.</summary>
    [Templated]
    public string File { get; set; } = string.Empty;

    /// <summary>The main class, for a jar.</summary>
    [Templated]
    public string? ClassName { get; set; }

    /// <summary>Command-line arguments, passed as given.</summary>
    [Templated]
    public IList<string> Args { get; } = new List<string>();

    /// <summary>Where the outcome is double-checked after Livy's final state. Default: <see cref="VerifyIn.Yarn"/>.</summary>
    public VerifyIn VerifyIn { get; set; } = VerifyIn.Yarn;

    /// <summary>The slowest interval between two state polls. Default: 10 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long YARN and Spark may take to show how the app ended (a History Server shows an app
    /// only after its next scan) before their silence counts against it, and how long each is asked
    /// again while it cannot be reached (connection refused, 5xx, no answer) before the verdict is
    /// unknown (<see cref="Livy.Batch.LivyBatchVerdictUnknownException"/>: a retry asks about the same app
    /// again instead of submitting the job again). Default: 1 minute.</summary>
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long Livy (or YARN, when it follows an app Livy forgot) may stay unreachable while
    /// the batch is followed before the task fails, saying so; every failed poll within it is waited out
    /// (Livy may be restarting). Default: 10 minutes.</summary>
    public TimeSpan UnreachableTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long deleting the batch and killing its YARN app may take after a timeout or a
    /// cancellation, asking again until Livy answers. Default: 3 minutes.</summary>
    public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The Spark REST connection used for verification. Default: <c>spark_default</c>.</summary>
    [Templated]
    public string SparkConnectionId { get; set; } = "spark_default";

    /// <summary>The YARN ResourceManager connection used for verification. Default: <c>yarn_default</c>.</summary>
    [Templated]
    public string YarnConnectionId { get; set; } = "yarn_default";

    // Arguments and conf reach the application: their literals are in its language, told by the file.
    LiteralLanguage ITemplatedOperator.FieldLanguage => Path.GetExtension(File).ToUpperInvariant() switch
    {
        ".PY" => LiteralLanguage.Python,
        ".R" => LiteralLanguage.R,
        _ => LiteralLanguage.Scala,
    };

    PreviewRequest? ITemplatedOperator.RequestPreview(RenderedTask rendered, TaskContext context) =>
        new("POST /batches", "batch_request.json", "json", LivyRequestBodies.Json(LivyJobFields.BatchRequest(this, rendered, context)));

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        return RemoteFailures.AsTaskFailuresAsync(() => new LivyBatchRun(this, fields, context, RemoteClients.For(context)).RunAsync(cancellationToken));
    }
}
