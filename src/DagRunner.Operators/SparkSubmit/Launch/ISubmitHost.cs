namespace DagRunner.Operators.SparkSubmit.Launch;

/// <summary>Where spark-submit runs: this host (<see cref="LocalSubmitHost"/>) or one reached over SSH.
/// The run asks it to start the command and, before submitting again, to stop a spark-submit an earlier
/// runner left behind.</summary>
internal interface ISubmitHost
{
    /// <summary>The host in a few words, recorded in the handle: <c>local runner-1</c>, <c>ssh hadoop@master:22</c>.</summary>
    string Name { get; }

    /// <summary>Starts <paramref name="command"/>; each line of its output (standard output and error) goes
    /// to <paramref name="line"/> as it comes, all of them before <see cref="IRunningSubmit.Ended"/> completes.</summary>
    Task<IRunningSubmit> StartAsync(SparkSubmitCommand command, Action<string> line, CancellationToken cancellationToken);

    /// <summary>Stops every process on the host still running an earlier spark-submit of the attempt whose YARN
    /// tag is <paramref name="tag"/> (its command line holds the tag, in <c>spark.yarn.tags</c>): one that has not
    /// submitted yet could submit after YARN was asked. True when one was stopped.</summary>
    Task<bool> StopEarlierAsync(string tag, CancellationToken cancellationToken);
}

/// <summary>A spark-submit that was started.</summary>
internal interface IRunningSubmit : IAsyncDisposable
{
    /// <summary>Its process id on its host.</summary>
    int? Pid { get; }

    /// <summary>How it ended; never faults.</summary>
    Task<SubmitEnd> Ended { get; }

    /// <summary>Ends it and every process it started.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>How spark-submit ended: its exit code, or, when the way to it was lost (the SSH connection
/// dropped), why it cannot be known.</summary>
internal sealed record SubmitEnd(int? ExitCode, string? Lost = null);
