namespace DagRunner.Web.Pages.Actions;

/// <summary>The pause toggle's words, the same wherever it is written (<c>DagActions</c>, the DAGs page's rows).</summary>
internal static class PauseLabels
{
    public const string PauseTitle = "The scheduler creates and starts no new runs of it";

    public const string UnpauseTitle = "The scheduler creates and starts its runs again";
}
