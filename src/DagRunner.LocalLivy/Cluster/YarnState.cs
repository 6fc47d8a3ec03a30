namespace DagRunner.LocalLivy.Cluster;

/// <summary>YARN application states and final statuses, spelled as the ResourceManager spells them.</summary>
internal static class YarnState
{
    public const string Accepted = "ACCEPTED";
    public const string Running = "RUNNING";
    public const string Finished = "FINISHED";
    public const string Failed = "FAILED";
    public const string Killed = "KILLED";

    public const string Undefined = "UNDEFINED";
    public const string Succeeded = "SUCCEEDED";

    public static bool IsTerminal(string state) => state is Finished or Failed or Killed;
}
