namespace DagRunner.Hosting.LocalLivy;

/// <summary>
/// How <c>local-livy</c> serves LocalLivy on its own: the embedded defaults (<see cref="EmbeddedLivy.Options"/>)
/// with what the command line changed. A null or unset member keeps the default.
/// </summary>
public sealed record LocalLivyServing
{
    /// <summary>The port; 0 picks a free one. Default: 8998, Livy's.</summary>
    public int Port { get; init; } = 8998;

    /// <summary>The folder <c>local:</c> and absolute job paths resolve against. Default: the templates folder.</summary>
    public string? JobsRoot { get; init; }

    /// <summary>The folder served as the WebHDFS root. Default: <c>&lt;home&gt;/local-livy/hdfs</c>.</summary>
    public string? HdfsRoot { get; init; }

    /// <summary>Files copied into the WebHDFS root at start, where missing. Default: <c>local-hdfs/</c> beside the templates folder.</summary>
    public string? HdfsSeed { get; init; }

    /// <summary>Livy recovery mode: sessions and batches kept across restarts. Default: off.</summary>
    public bool Recovery { get; init; }

    /// <summary>Require <c>X-Requested-By</c> on POST and DELETE. Default: on.</summary>
    public bool CsrfProtection { get; init; } = true;

    /// <summary>Report Livy <c>success</c> for failing batches, as YARN cluster mode does. Default: off.</summary>
    public bool ClusterModeQuirk { get; init; }

    /// <summary>How long finished sessions and batches are kept. Default: LocalLivy's (600 s).</summary>
    public TimeSpan? StateRetention { get; init; }

    /// <summary>A delay added to every answer. Default: none.</summary>
    public TimeSpan FaultLatency { get; init; }

    /// <summary>The share of requests (0 to 1) answered with a 500. Default: 0.</summary>
    public double FaultErrorRate { get; init; }
}
