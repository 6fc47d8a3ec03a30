using DagRunner.Clients.Livy;
using DagRunner.Sdk;

namespace DagRunner.Operators.Livy;

/// <summary>The Spark fields of a Livy task, as a request carries them: empty lists left out, the
/// attempt's YARN tag added to the user's <c>spark.yarn.tags</c>, and the attempt's unique name.</summary>
internal static class LivyJobFields
{
    public static T Apply<T>(T request, LivyJobOperator task, string name, string tag)
        where T : LivyJobRequest
    {
        var conf = new Dictionary<string, string>(task.Conf, StringComparer.Ordinal);
        conf["spark.yarn.tags"] = conf.TryGetValue("spark.yarn.tags", out var tags) && tags.Length > 0 ? $"{tags},{tag}" : tag;
        return (T)(request with
        {
            Jars = List(task.Jars),
            PyFiles = List(task.PyFiles),
            Files = List(task.Files),
            Archives = List(task.Archives),
            DriverMemory = task.DriverMemory,
            DriverCores = task.DriverCores,
            ExecutorMemory = task.ExecutorMemory,
            ExecutorCores = task.ExecutorCores,
            NumExecutors = task.NumExecutors,
            Queue = task.Queue,
            Name = name,
            ProxyUser = task.ProxyUser,
            Conf = conf,
        });
    }

    /// <summary>The attempt's name and tag (see <see cref="Batch.BatchNaming"/>).</summary>
    public static (string Name, string Tag) Identity(TaskContext context, LivyJobOperator task) =>
        (Batch.BatchNaming.Name(context, task.Name), Batch.BatchNaming.Tag(context));

    private static IReadOnlyList<string>? List(IEnumerable<string> items) => items.Any() ? [.. items] : null;
}
