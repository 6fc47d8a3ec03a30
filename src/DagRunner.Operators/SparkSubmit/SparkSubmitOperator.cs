using DagRunner.Clients.Connections;
using DagRunner.Operators.Remote;
using DagRunner.Operators.SparkSubmit;
using DagRunner.Operators.SparkSubmit.Launch;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// Runs <c>spark-submit</c> on the runner's host, streams its output into the task log, records the YARN
/// application id as soon as it is printed, and decides the outcome on evidence (<see cref="SparkSubmitJobOperator.VerifyIn"/>,
/// default YARN): in cluster mode spark-submit's exit code is not trusted on its own. A timeout or a cancellation
/// ends spark-submit's process tree and kills the app in YARN; a runner that restarts follows the recorded app
/// instead of submitting again. spark-submit's path, master, deploy mode and environment come from
/// <see cref="SparkSubmitJobOperator.SparkSubmitConnectionId"/> (<c>spark_submit_default</c>).
/// </summary>
public sealed class SparkSubmitOperator : SparkSubmitJobOperator
{
    /// <summary>Creates the task.</summary>
    public SparkSubmitOperator(string taskId)
        : base(taskId)
    {
    }

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        var clients = RemoteClients.For(context);
        return RemoteFailures.AsTaskFailuresAsync(() =>
        {
            var settings = Settings(clients, fields.Text(nameof(SparkSubmitConnectionId))!);
            return new SparkSubmitRun(this, fields, context, clients, new LocalSubmitHost(clients.Time), settings).RunAsync(cancellationToken);
        });
    }

    // Not configured: spark-submit on the PATH, with the task's fields alone.
    internal static SparkSubmitSettings Settings(RemoteClients clients, string connectionId)
    {
        try
        {
            return SparkSubmitSettings.From(clients.Connection(connectionId));
        }
        catch (ConnectionException) when (!clients.IsConfigured(connectionId))
        {
            return SparkSubmitSettings.Default;
        }
    }
}
