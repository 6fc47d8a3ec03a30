using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.LocalLivy;

/// <summary>How a <see cref="LocalLivyServer"/> listens, where it finds jobs and keeps its state,
/// and which of Livy's behaviours it reproduces. Defaults follow Apache Livy's where Livy has one.</summary>
public sealed class LocalLivyOptions
{
    /// <summary>Address to listen on. Default: loopback, so a laptop's server is not reachable from outside.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>Port to listen on; 0 picks a free one (tests). Default 8998, Livy's port.</summary>
    public int Port { get; set; } = 8998;

    /// <summary>Serve HTTPS with this certificate (like Livy with <c>livy.keystore</c>). Default: plain HTTP.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Folder that <c>local:</c> and scheme-less batch and session file paths resolve
    /// against (<c>local:///jobs/a.py</c> is <c>{JobsRoot}/jobs/a.py</c>). Default: the current folder.</summary>
    public string JobsRoot { get; set; } = Directory.GetCurrentDirectory();

    /// <summary>Folder served as the root of WebHDFS, and where <c>hdfs:</c> paths resolve. Default:
    /// a <c>hdfs</c> folder under <see cref="StateFolder"/>.</summary>
    public string? HdfsRoot { get; set; }

    /// <summary>A folder whose files are copied into <see cref="HdfsRoot"/> at start, where the root does
    /// not hold them yet (nothing is overwritten): sample input for local runs. Default: none.</summary>
    public string? HdfsSeed { get; set; }

    /// <summary>Where the server keeps its recovery state and each app's working folder.
    /// Default: a new folder under the system temp folder.</summary>
    public string? StateFolder { get; set; }

    /// <summary>Livy recovery mode: session and batch records are written to <see cref="StateFolder"/>
    /// and come back after a restart (ids continue). Without it a restart forgets them and ids
    /// start at 0 again, and stopping the server stops every job, as Livy does. Default off.</summary>
    public bool Recovery { get; set; }

    /// <summary>Require the <c>X-Requested-By</c> header on Livy POST and DELETE requests, like a
    /// Livy with <c>livy.server.csrf-protection.enabled</c>. Default on.</summary>
    public bool CsrfProtection { get; set; } = true;

    /// <summary>Report Livy state <c>success</c> for every batch whatever its exit code, as a YARN
    /// cluster-mode batch does in the field; YARN and Spark still tell the truth. A batch can turn it
    /// on or off with the conf key <see cref="ClusterModeQuirkConfKey"/>. Default off.</summary>
    public bool ClusterModeQuirk { get; set; }

    /// <summary>The batch conf key that overrides <see cref="ClusterModeQuirk"/> per batch (<c>true</c>/<c>false</c>).</summary>
    public const string ClusterModeQuirkConfKey = "livy.local.cluster-mode-quirk";

    /// <summary>The session conf key naming a statement id at whose start the session's driver dies
    /// (a fault on demand, usable over plain HTTP).</summary>
    public const string DieOnStatementConfKey = "livy.local.fault.die-on-statement";

    /// <summary>How long finished sessions and batches are kept before they answer 404
    /// (<c>livy.server.session.state-retain.sec</c>). Default 600 s.</summary>
    public TimeSpan StateRetention { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>An interactive session with no activity for this long is deleted
    /// (<c>livy.server.session.timeout</c>); <see cref="TimeSpan.Zero"/> turns it off. Default 1 h.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Log lines kept per stream of a session or batch (<c>livy.cache-log.size</c>); older
    /// lines roll out, so log offsets are not stable. Default 200.</summary>
    public int LogLines { get; set; } = 200;

    /// <summary>Statements kept per session (<c>livy.rsc.retained-statements</c>). Default 100.</summary>
    public int RetainedStatements { get; set; } = 100;

    /// <summary>Sessions and batches that may be starting at once (<c>livy.server.session.max-creation</c>). Default 100.</summary>
    public int MaxCreation { get; set; } = 100;

    /// <summary>How long a new session may take to start its interpreter before it is marked dead. Default 2 min.</summary>
    public TimeSpan SessionStartTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The Python interpreter for sessions and <c>.py</c> batches. Default <c>python3</c> from the PATH.</summary>
    public string Python { get; set; } = "python3";

    /// <summary><c>spark-submit</c> to run batches with; default: <c>$SPARK_HOME/bin/spark-submit</c> or
    /// the PATH, and when neither exists <c>.py</c> batches run with <see cref="Python"/>.</summary>
    public string? SparkSubmit { get; set; }

    /// <summary>Require <c>user.name</c> (simple auth) on YARN PUT requests, as a ResourceManager
    /// does for a kill. Default on.</summary>
    public bool YarnRequiresUser { get; set; } = true;

    /// <summary>Faults injected into answers; can be changed while the server runs.</summary>
    public LocalLivyFaults Faults { get; set; } = new();

    /// <summary>Where the server logs what goes wrong inside it (a job that could not be followed, a
    /// recovery file that could not be written). Default: no logging.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Finished apps YARN remembers (<c>yarn.resourcemanager.max-completed-applications</c>);
    /// older ones answer 404. Default 10,000.</summary>
    public int MaxCompletedApps { get; set; } = 10_000;

    /// <summary>Clock for timestamps, retention and timeouts. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
            throw new ArgumentException($"Port must be between 0 and 65535 (got {Port}).");
        if (!Directory.Exists(JobsRoot))
            throw new ArgumentException($"The jobs root '{JobsRoot}' does not exist.");
        if (LogLines < 1 || RetainedStatements < 1 || MaxCreation < 1 || MaxCompletedApps < 1)
            throw new ArgumentException("LogLines, RetainedStatements, MaxCreation and MaxCompletedApps must be at least 1.");
        if (StateRetention < TimeSpan.Zero || SessionIdleTimeout < TimeSpan.Zero || SessionStartTimeout <= TimeSpan.Zero)
            throw new ArgumentException("StateRetention and SessionIdleTimeout must not be negative, SessionStartTimeout must be positive.");
        Faults.Validate();
    }
}
