using DagRunner.Engine.Definitions;

namespace DagRunner.Engine.Execution;

/// <summary>The one place that decides how long a failed attempt waits before the next.</summary>
internal static class RetryDelays
{
    /// <summary>The wait after attempt <paramref name="tryNumber"/> failed: <c>RetryDelay</c>, doubled for each
    /// earlier attempt when <c>RetryExponentialBackoff</c> is on, never more than <c>MaxRetryDelay</c>.</summary>
    public static TimeSpan After(TaskPolicy policy, int tryNumber)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!policy.RetryExponentialBackoff)
            return Min(policy.RetryDelay, policy.MaxRetryDelay);
        var factor = Math.Pow(2, Math.Clamp(tryNumber - 1, 0, 30));
        var ticks = policy.RetryDelay.Ticks * factor;
        return ticks >= policy.MaxRetryDelay.Ticks ? policy.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a <= b ? a : b;
}
