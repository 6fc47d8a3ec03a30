using DagRunner.Engine.Execution;

namespace DagRunner.Hosting.Dev;

/// <summary>What <see cref="DevRuns"/> tells the front end; each member does nothing unless overridden.</summary>
public class DevRunEvents
{
    /// <summary>The observer of the next run's tasks. Default: one that does nothing.</summary>
    public virtual DagRunObserver Observer() => new();

    /// <summary>A run of <paramref name="dagId"/> starts, as <paramref name="runId"/>.</summary>
    public virtual void Starting(string dagId, string runId)
    {
    }

    /// <summary>The run ended; <paramref name="failed"/> are the tasks that neither succeeded nor were skipped.</summary>
    public virtual void Ended(string dagId, IReadOnlyList<string> failed)
    {
    }

    /// <summary>The run was cancelled by a newer one, or by quitting.</summary>
    public virtual void Cancelled(string dagId)
    {
    }

    /// <summary>Something broke the run (the store, the embedded Livy); watching goes on.</summary>
    public virtual void Broke(string dagId, Exception exception)
    {
    }

    /// <summary>The DAG did not load, so it was not run.</summary>
    public virtual void NotLoaded(string dagId)
    {
    }

    /// <summary>With <c>--warm</c>, at the end: the kept sessions were deleted.</summary>
    public virtual void WarmSessionsDeleted(int count)
    {
    }
}
