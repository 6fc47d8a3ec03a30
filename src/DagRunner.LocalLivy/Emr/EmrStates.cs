namespace DagRunner.LocalLivy.Emr;

/// <summary>Cluster and step states, action-on-failure values and state-change codes, spelled as EMR spells them.</summary>
internal static class EmrStates
{
    public const string Starting = "STARTING";
    public const string Running = "RUNNING";
    public const string Waiting = "WAITING";
    public const string Terminating = "TERMINATING";
    public const string Terminated = "TERMINATED";
    public const string TerminatedWithErrors = "TERMINATED_WITH_ERRORS";

    public const string Pending = "PENDING";
    public const string CancelPending = "CANCEL_PENDING";
    public const string Completed = "COMPLETED";
    public const string Cancelled = "CANCELLED";
    public const string Failed = "FAILED";
    public const string Interrupted = "INTERRUPTED";

    public const string Bootstrapping = "BOOTSTRAPPING";

    public static readonly IReadOnlySet<string> ClusterStates = new HashSet<string>(StringComparer.Ordinal)
    {
        Starting, Bootstrapping, Running, Waiting, Terminating, Terminated, TerminatedWithErrors,
    };

    public static readonly IReadOnlySet<string> StepStates = new HashSet<string>(StringComparer.Ordinal)
    {
        Pending, CancelPending, Running, Completed, Cancelled, Failed, Interrupted,
    };

    public const string TerminateCluster = "TERMINATE_CLUSTER";
    public const string TerminateJobFlow = "TERMINATE_JOB_FLOW";
    public const string CancelAndWait = "CANCEL_AND_WAIT";
    public const string Continue = "CONTINUE";

    public static readonly IReadOnlySet<string> ActionsOnFailure = new HashSet<string>(StringComparer.Ordinal)
    {
        TerminateCluster, TerminateJobFlow, CancelAndWait, Continue,
    };

    public static bool IsFinalStep(string state) => state is Completed or Cancelled or Failed or Interrupted;

    public static bool IsEnding(string clusterState) => clusterState is Terminating or Terminated or TerminatedWithErrors;
}
