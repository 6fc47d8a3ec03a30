namespace DagRunner.LocalLivy.Cluster;

/// <summary>A Spark job as the monitoring API shows it. LocalLivy records one job per batch
/// process and one per session statement (job group = statement id), whose status is the real
/// outcome of that code.</summary>
internal sealed class SparkJob(int jobId, string name, string? jobGroup, DateTimeOffset submitted)
{
    public const string Running = "RUNNING";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";

    public int JobId { get; } = jobId;
    public string Name { get; } = name;
    public string? JobGroup { get; } = jobGroup;
    public DateTimeOffset Submitted { get; } = submitted;
    public string Status { get; private set; } = Running;
    public DateTimeOffset? Completed { get; private set; }

    public void Complete(bool succeeded, DateTimeOffset now)
    {
        if (Status != Running)
            return;
        Status = succeeded ? Succeeded : Failed;
        Completed = now;
    }
}
