namespace DagRunner.LocalLivy.Cluster;

/// <summary>One application as YARN and Spark see it: the process that runs a batch or a session's
/// interpreter. It outlives the Livy record that started it, as a YARN app outlives Livy's memory.</summary>
internal sealed class ClusterApp
{
    private readonly Lock _lock = new();
    private readonly List<SparkJob> _jobs = [];

    public ClusterApp(string id, string name, string user, string queue, IReadOnlyList<string> tags, DateTimeOffset started)
    {
        Id = id;
        Name = name;
        User = user;
        Queue = queue;
        Tags = tags;
        StartedTime = started;
        ContainerId = "container_" + id["application_".Length..] + "_01_000001";
    }

    public string Id { get; }
    public string Name { get; }
    public string User { get; }
    public string Queue { get; }
    public IReadOnlyList<string> Tags { get; }
    public string ContainerId { get; }
    public DateTimeOffset StartedTime { get; }

    public string State { get; private set; } = YarnState.Accepted;
    public string FinalStatus { get; private set; } = YarnState.Undefined;
    public string Diagnostics { get; private set; } = "";
    public DateTimeOffset? FinishedTime { get; private set; }
    public int? ExitCode { get; private set; }

    /// <summary>The driver's full output, kept in a file of the app's own (Livy keeps only a rolling tail).</summary>
    public string? DriverLogFile { get; set; }

    /// <summary>Stops the app's process; set by whoever runs it, used by YARN's kill.</summary>
    public Func<Task>? Kill { get; set; }

    public void MarkRunning()
    {
        lock (_lock)
        {
            if (State == YarnState.Accepted)
                State = YarnState.Running;
        }
    }

    /// <summary>Ends the app once; later calls are ignored, so the first cause (a kill, an exit) wins.</summary>
    public bool Finish(string state, string finalStatus, string diagnostics, DateTimeOffset now, int? exitCode = null)
    {
        lock (_lock)
        {
            if (YarnState.IsTerminal(State))
                return false;
            State = state;
            FinalStatus = finalStatus;
            Diagnostics = diagnostics;
            FinishedTime = now;
            ExitCode = exitCode;
            foreach (var job in _jobs)
                job.Complete(succeeded: finalStatus == YarnState.Succeeded, now);
            return true;
        }
    }

    public SparkJob StartJob(string name, string? jobGroup, DateTimeOffset now)
    {
        lock (_lock)
        {
            var job = new SparkJob(_jobs.Count, name, jobGroup, now);
            _jobs.Add(job);
            return job;
        }
    }

    public IReadOnlyList<SparkJob> Jobs()
    {
        lock (_lock)
            return [.. _jobs];
    }

    /// <summary>Restores an app read back from the recovery file.</summary>
    public void Restore(string state, string finalStatus, string diagnostics, DateTimeOffset? finished, int? exitCode)
    {
        lock (_lock)
        {
            State = state;
            FinalStatus = finalStatus;
            Diagnostics = diagnostics;
            FinishedTime = finished;
            ExitCode = exitCode;
        }
    }
}
