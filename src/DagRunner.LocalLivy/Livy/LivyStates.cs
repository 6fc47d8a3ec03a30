namespace DagRunner.LocalLivy.Livy;

/// <summary>Livy's session, batch and statement state names (reference §2).</summary>
internal static class LivyStates
{
    public const string NotStarted = "not_started";
    public const string Starting = "starting";
    public const string Recovering = "recovering";
    public const string Idle = "idle";
    public const string Running = "running";
    public const string Busy = "busy";
    public const string ShuttingDown = "shutting_down";
    public const string Error = "error";
    public const string Dead = "dead";
    public const string Killed = "killed";
    public const string Success = "success";

    public const string Waiting = "waiting";
    public const string Available = "available";
    public const string Cancelling = "cancelling";
    public const string Cancelled = "cancelled";

    /// <summary>Final states, which the retention clock starts from. A session in <c>error</c> is
    /// not one: Livy keeps it until someone deletes it.</summary>
    public static bool IsFinished(string state) => state is Dead or Killed or Success;
}
