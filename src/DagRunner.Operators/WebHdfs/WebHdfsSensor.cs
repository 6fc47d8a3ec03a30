using DagRunner.Operators.Remote;
using DagRunner.Operators.Sensors;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>Waits until <see cref="Path"/> exists in HDFS (WebHDFS <c>GETFILESTATUS</c>).</summary>
public sealed class WebHdfsSensor : Sensor
{
    /// <summary>Creates the task.</summary>
    public WebHdfsSensor(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The path to wait for, a template, e.g. <c>/data/sales/{{ ds }}/_SUCCESS</c>. Required.</summary>
    [Templated]
    public string Path { get; set; } = string.Empty;

    /// <summary>The WebHDFS connection. Default: <c>webhdfs_default</c>.</summary>
    [Templated]
    public string WebHdfsConnectionId { get; set; } = "webhdfs_default";

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RemoteFailures.AsTaskFailuresAsync(() => PokeAsync(context, cancellationToken));
    }

    private Task<object?> PokeAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        var path = fields.Text(nameof(Path))!;
        var clients = RemoteClients.For(context);
        var webHdfs = clients.WebHdfs(fields.Text(nameof(WebHdfsConnectionId))!);
        return SensorLoop.RunAsync(this, context, clients.Time, $"{path} in {webHdfs.Transport.Connection}", async token =>
        {
            var status = await webHdfs.GetFileStatusAsync(path, token).ConfigureAwait(false);
            return status is null
                ? null
                : new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["path"] = path,
                    ["type"] = status.Type,
                    ["length"] = status.Length,
                    ["modification_time"] = status.ModificationTime,
                };
        }, cancellationToken);
    }
}
