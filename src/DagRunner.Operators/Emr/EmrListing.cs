namespace DagRunner.Operators.Emr;

/// <summary>Looking for what a lost answer may have created (steps, a cluster) by name: EMR may take a moment to list
/// what it has just created, so it is asked again, after 1 s, then twice as long each time up to 10 s, until what was
/// found is enough or <c>within</c> has passed. Only then is the missing taken for not created.</summary>
internal static class EmrListing
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(10);

    /// <summary>The pages of a listing looked through for a name (50 items a page, newest first).</summary>
    public const int MaxPages = 20;

    /// <summary>What <paramref name="look"/> found once it is <paramref name="enough"/>, or the last found when
    /// <paramref name="within"/> has passed (<see cref="TimeSpan.Zero"/>: looked at once).</summary>
    public static async Task<T> LookAsync<T>(Func<Task<T>> look, Func<T, bool> enough, TimeSpan within, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var pause = FirstPause;
        while (true)
        {
            var found = await look().ConfigureAwait(false);
            var left = within - time.GetElapsedTime(started);
            if (enough(found) || left <= TimeSpan.Zero)
                return found;
            await Task.Delay(pause < left ? pause : left, time, cancellationToken).ConfigureAwait(false);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }
}
