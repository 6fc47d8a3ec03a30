namespace DagRunner.Clients.Livy;

/// <summary>How a client reads Livy's state names (reference §2.1). A name it does not know is not
/// final: the caller keeps following and says so.</summary>
public static class LivyStates
{
    public const string Success = "success";
    public const string Dead = "dead";
    public const string Killed = "killed";
    public const string Error = "error";
    public const string Idle = "idle";
    public const string Available = "available";
    public const string Cancelled = "cancelled";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "not_started", "starting", "recovering", "idle", "running", "busy", "shutting_down", "error", "dead", "killed", "success",
    };

    /// <summary>A batch has ended (<c>error</c> is treated as final, defensively).</summary>
    public static bool IsFinalBatchState(string state) => state is Success or Dead or Killed or Error;

    /// <summary>A session can no longer run statements.</summary>
    public static bool IsDeadSessionState(string state) => state is Dead or Killed or Error or "shutting_down";

    /// <summary>A statement has ended.</summary>
    public static bool IsFinalStatementState(string state) => state is Available or Cancelled;

    public static bool IsKnown(string state) => Known.Contains(state);
}
