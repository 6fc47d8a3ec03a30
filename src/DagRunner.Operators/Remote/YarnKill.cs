using DagRunner.Clients.Yarn;

namespace DagRunner.Operators.Remote;

/// <summary>Kills a job's app in YARN by its id and by its tag: an app submitted after its id was last read (or
/// whose id was never read) carries the tag. What spark-submit and EMR steps leave behind after a timeout.</summary>
internal static class YarnKill
{
    /// <summary>Kills every app that has <paramref name="appId"/> or carries <paramref name="tag"/> and has not ended,
    /// saying each in <paramref name="log"/>; returns every app found (ended or not).</summary>
    public static async Task<IReadOnlyList<YarnApp>> KillAsync(YarnClient yarn, string? appId, string tag, TextWriter log, string whose, CancellationToken cancellationToken)
    {
        var apps = new List<YarnApp>();
        if (appId is not null && await yarn.GetAppAsync(appId, cancellationToken).ConfigureAwait(false) is { } app)
            apps.Add(app);
        apps.AddRange((await yarn.FindAppsByTagAsync(tag, cancellationToken).ConfigureAwait(false)).Where(a => apps.All(known => known.Id != a.Id)));
        foreach (var live in apps.Where(a => !a.IsTerminal))
        {
            await yarn.KillAsync(live.Id, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"Killed app {live.Id}{whose} in YARN.");
        }

        return apps;
    }
}
