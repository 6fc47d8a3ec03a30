using System.Collections.Concurrent;
using System.Globalization;

namespace DagRunner.LocalLivy.Cluster;

/// <summary>The ResourceManager's memory: every app this server ran, by id
/// (<c>application_&lt;clusterTimestamp&gt;_&lt;sequence&gt;</c>).</summary>
internal sealed class AppRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ClusterApp> _apps = new(StringComparer.Ordinal);
    private int _sequence;

    /// <summary>The cluster's start time, the first part of every app id.</summary>
    public long ClusterTimestamp { get; private set; } = time.GetUtcNow().ToUnixTimeMilliseconds();

    public ClusterApp Create(string name, string? user, string? queue, IReadOnlyList<string> tags)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var id = string.Create(CultureInfo.InvariantCulture, $"application_{ClusterTimestamp}_{sequence:D4}");
        var app = new ClusterApp(id, name, user ?? "livy", queue ?? "default", tags, time.GetUtcNow());
        _apps[id] = app;
        return app;
    }

    public ClusterApp? Find(string id) => _apps.GetValueOrDefault(id);

    public IReadOnlyList<ClusterApp> All() => [.. _apps.Values.OrderBy(app => app.StartedTime).ThenBy(app => app.Id, StringComparer.Ordinal)];

    /// <summary>Puts back an app read from the recovery file.</summary>
    public void Add(ClusterApp app) => _apps[app.Id] = app;

    public (long ClusterTimestamp, int Sequence) Counters => (ClusterTimestamp, Volatile.Read(ref _sequence));

    /// <summary>Continues the id sequence of a recovered cluster, so ids are never reused.</summary>
    public void RestoreCounters(long clusterTimestamp, int sequence)
    {
        ClusterTimestamp = clusterTimestamp;
        InterlockedMax(ref _sequence, sequence);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
