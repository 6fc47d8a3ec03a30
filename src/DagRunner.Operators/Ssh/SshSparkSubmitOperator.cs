using DagRunner.Clients.Connections;
using DagRunner.Operators.Remote;
using DagRunner.Operators.SparkSubmit;
using DagRunner.Operators.Ssh;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// Runs <c>spark-submit</c> on a remote host (a cluster's master or edge node) over SSH, with the same typed
/// fields and the same verification as <see cref="SparkSubmitOperator"/>; spark-submit's settings on that host
/// come from <see cref="SparkSubmitJobOperator.SparkSubmitConnectionId"/>. When the SSH connection drops
/// mid-run, the task neither fails nor submits again: it follows the app in YARN by its recorded id (or the
/// attempt's tag) until it ends, and the log says so. A timeout or a cancellation kills the app in YARN and
/// the remote spark-submit.
/// </summary>
public sealed class SshSparkSubmitOperator : SparkSubmitJobOperator
{
    /// <summary>Creates the task.</summary>
    public SshSparkSubmitOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The SSH host spark-submit runs on. Default: <c>ssh_default</c>.</summary>
    [Templated]
    public string SshConnectionId { get; set; } = "ssh_default";

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        var clients = RemoteClients.For(context);
        return RemoteFailures.AsTaskFailuresAsync(() =>
        {
            var ssh = SshSettings.From(clients.Connection(fields.Text(nameof(SshConnectionId))!));
            var settings = SparkSubmitOperator.Settings(clients, fields.Text(nameof(SparkSubmitConnectionId))!);
            return new SparkSubmitRun(this, fields, context, clients, new SshSubmitHost(ssh, context.Log), settings).RunAsync(cancellationToken);
        });
    }
}
