using System.Security.Cryptography;
using System.Text;
using DagRunner.Sdk;

namespace DagRunner.Operators.Livy.Batch;

/// <summary>The name and YARN tag of a task attempt's batch: the same every time the attempt is
/// asked for, so a lost answer to <c>POST /batches</c> can be looked up instead of submitted twice,
/// and the app found in YARN after Livy has forgotten the batch.</summary>
internal static class BatchNaming
{
    /// <summary><c>dagrunner-&lt;dag&gt;-&lt;task&gt;-&lt;run hash&gt;-&lt;try&gt;</c>, or the task's own name with the
    /// run hash and try appended (Livy names must be unique); never all digits (Livy refuses those).</summary>
    public static string Name(TaskContext context, string? userName = null) =>
        userName is { Length: > 0 }
            ? $"{userName}-{Hash(context.RunId)}-{context.TryNumber}"
            : $"dagrunner-{Slug(context.DagId)}-{Slug(context.TaskId)}-{Hash(context.RunId)}-{context.TryNumber}";

    /// <summary><c>&lt;name&gt;-&lt;hash of the DAG, task and run&gt;-&lt;try&gt;</c>: a name the user gave, made the attempt's
    /// own, for a remote job found again by name among those other tasks and DAGs create with the same name
    /// (EMR steps on a shared cluster, clusters in an account).</summary>
    public static string AttemptName(TaskContext context, string userName) =>
        $"{userName}-{Hash(string.Join('\n', context.DagId, context.TaskId, context.RunId))}-{context.TryNumber}";

    /// <summary><c>dagrunner-&lt;dag&gt;-&lt;task&gt;-&lt;hash of the DAG, task and run&gt;-&lt;try&gt;</c>: <see cref="AttemptName"/> of
    /// the default name, unique however long the DAG and task ids are.</summary>
    public static string DefaultAttemptName(TaskContext context) => AttemptName(context, $"dagrunner-{Slug(context.DagId)}-{Slug(context.TaskId)}");

    /// <summary>A lower-case tag (YARN lower-cases tags) naming the attempt.</summary>
    public static string Tag(TaskContext context) =>
        $"dagrunner-{Hash(string.Join('\n', context.DagId, context.TaskId, context.RunId, context.TryNumber))}";

    private static string Slug(string id) => id.Length <= 40 ? id : id[..40];

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
