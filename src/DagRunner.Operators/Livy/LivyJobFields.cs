using DagRunner.Clients.Livy;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators.Livy;

/// <summary>The requests of a Livy task, as they are sent: rendered fields, empty lists left out, the
/// attempt's YARN tag added to the user's <c>spark.yarn.tags</c>, and the attempt's unique name. Runs
/// and previews build them here, so a preview is what the server receives.</summary>
internal static class LivyJobFields
{
    public static LivyBatchRequest BatchRequest(LivyBatchOperator task, RenderedTask fields, TaskContext context)
    {
        var args = fields.List(nameof(LivyBatchOperator.Args));
        return Apply(
            new LivyBatchRequest
            {
                File = fields.Text(nameof(LivyBatchOperator.File))!,
                ClassName = NullIfEmpty(fields.Text(nameof(LivyBatchOperator.ClassName))),
                Args = args.Count > 0 ? args : null,
            },
            task,
            fields,
            context);
    }

    public static LivySessionRequest SessionRequest(LivySessionOperator task, RenderedTask fields, TaskContext context) =>
        Apply(
            new LivySessionRequest
            {
                Kind = KindName(task.Kind),
                // A session nobody asks about (its runner was killed) is reclaimed by Livy after this.
                HeartbeatTimeoutInSecond = task.HeartbeatTimeoutInSecond ?? (int)Math.Max(60, task.PollInterval.TotalSeconds * 30),
                Ttl = NullIfEmpty(fields.Text(nameof(LivySessionOperator.Ttl))),
            },
            task,
            fields,
            context);

    /// <summary>The attempt's name (see <see cref="BatchNaming"/>).</summary>
    public static string Name(RenderedTask fields, TaskContext context) =>
        BatchNaming.Name(context, NullIfEmpty(fields.Text(nameof(LivyJobOperator.Name))));

    /// <summary>Livy's name of a session kind.</summary>
    public static string KindName(SessionKind kind) => kind switch
    {
        SessionKind.Spark => "spark",
        SessionKind.SparkR => "sparkr",
        SessionKind.Sql => "sql",
        _ => "pyspark",
    };

    private static T Apply<T>(T request, LivyJobOperator task, RenderedTask fields, TaskContext context)
        where T : LivyJobRequest
    {
        var tag = BatchNaming.Tag(context);
        var conf = new Dictionary<string, string>(fields.Map(nameof(LivyJobOperator.Conf)), StringComparer.Ordinal);
        conf["spark.yarn.tags"] = conf.TryGetValue("spark.yarn.tags", out var tags) && tags.Length > 0 ? $"{tags},{tag}" : tag;
        return (T)(request with
        {
            Jars = List(fields, nameof(LivyJobOperator.Jars)),
            PyFiles = List(fields, nameof(LivyJobOperator.PyFiles)),
            Files = List(fields, nameof(LivyJobOperator.Files)),
            Archives = List(fields, nameof(LivyJobOperator.Archives)),
            DriverMemory = NullIfEmpty(fields.Text(nameof(LivyJobOperator.DriverMemory))),
            DriverCores = task.DriverCores,
            ExecutorMemory = NullIfEmpty(fields.Text(nameof(LivyJobOperator.ExecutorMemory))),
            ExecutorCores = task.ExecutorCores,
            NumExecutors = task.NumExecutors,
            Queue = NullIfEmpty(fields.Text(nameof(LivyJobOperator.Queue))),
            Name = Name(fields, context),
            ProxyUser = NullIfEmpty(fields.Text(nameof(LivyJobOperator.ProxyUser))),
            Conf = conf,
        });
    }

    private static IReadOnlyList<string>? List(RenderedTask fields, string name) => fields.List(name) is { Count: > 0 } items ? items : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
