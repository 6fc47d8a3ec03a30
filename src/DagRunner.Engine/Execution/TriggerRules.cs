using DagRunner.Sdk;

namespace DagRunner.Engine.Execution;

/// <summary>Trigger rules as pure functions of upstream states, with Airflow's semantics.</summary>
internal static class TriggerRules
{
    /// <summary>Decides whether a task with <paramref name="rule"/> can run, given its direct upstream states.</summary>
    public static TriggerDecision Evaluate(TriggerRule rule, IReadOnlyCollection<TaskState> upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (upstream.Count == 0 || rule == TriggerRule.Always)
        {
            return TriggerDecision.Run;
        }

        var success = upstream.Count(s => s == TaskState.Success);
        var failed = upstream.Count(s => s is TaskState.Failed or TaskState.UpstreamFailed);
        var skipped = upstream.Count(s => s == TaskState.Skipped);
        var done = success + failed + skipped + upstream.Count(s => s == TaskState.Removed);
        var allDone = done == upstream.Count;

        return rule switch
        {
            TriggerRule.AllSuccess =>
                failed > 0 ? TriggerDecision.UpstreamFailed
                : skipped > 0 ? TriggerDecision.Skip
                : allDone ? TriggerDecision.Run
                : TriggerDecision.Wait,
            TriggerRule.AllFailed =>
                success > 0 || skipped > 0 ? TriggerDecision.Skip
                : allDone ? TriggerDecision.Run
                : TriggerDecision.Wait,
            TriggerRule.AllDone => allDone ? TriggerDecision.Run : TriggerDecision.Wait,
            TriggerRule.OneSuccess =>
                success > 0 ? TriggerDecision.Run
                : !allDone ? TriggerDecision.Wait
                : failed == upstream.Count ? TriggerDecision.UpstreamFailed
                : TriggerDecision.Skip,
            TriggerRule.OneFailed =>
                failed > 0 ? TriggerDecision.Run
                : allDone ? TriggerDecision.Skip
                : TriggerDecision.Wait,
            TriggerRule.NoneFailed =>
                failed > 0 ? TriggerDecision.UpstreamFailed
                : allDone ? TriggerDecision.Run
                : TriggerDecision.Wait,
            TriggerRule.NoneFailedMinOneSuccess =>
                failed > 0 ? TriggerDecision.UpstreamFailed
                : !allDone ? TriggerDecision.Wait
                : success > 0 ? TriggerDecision.Run
                : TriggerDecision.Skip,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown trigger rule."),
        };
    }
}
