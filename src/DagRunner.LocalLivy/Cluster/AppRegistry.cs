using System.Collections.Concurrent;
using System.Globalization;

namespace DagRunner.LocalLivy.Cluster;

/// <summary>The ResourceManager's memory: every app this server ran, by id
/// (<c>application_&lt;clusterTimestamp&gt;_&lt;sequence&gt;</c>).</summary>
internal sealed class AppRegistry(TimeProvider time, int maxCompleted)
{
    private readonly ConcurrentQueue<ClusterApp> _created = new();
    private readonly ConcurrentDictionary<string, ClusterApp> _apps = new(StringComparer.Ordinal);
    private int _sequence;

    /// <summary>The cluster's start time, the first part of every app id.</summary>
    public long ClusterTimestamp { get; private set; } = time.GetUtcNow().ToUnixTimeMilliseconds();

    public ClusterApp Create(string name, string? user, string? queue, IReadOnlyList<string> tags)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var id = string.Create(CultureInfo.InvariantCulture, $"application_{ClusterTimestamp}_{sequence:D4}");
        var app = new ClusterApp(id, name, user ?? "livy", queue ?? "default", tags, time.GetUtcNow());
        Add(app);
        return app;
    }

    public ClusterApp? Find(string id) => _apps.GetValueOrDefault(id);

    public IReadOnlyList<ClusterApp> All() => [.. _apps.Values.OrderBy(app => app.StartedTime).ThenBy(app => app.Id, StringComparer.Ordinal)];

    /// <summary>Adds an app (a new one, or one read back from the recovery file) and forgets the
    /// oldest finished apps beyond the limit, as the ResourceManager does.</summary>
    public void Add(ClusterApp app)
    {
        _apps[app.Id] = app;
        _created.Enqueue(app);
        var excess = _apps.Count - maxCompleted;
        // Only finished apps are forgotten; a long-running one is kept and looked at again later.
        for (var looked = _created.Count; excess > 0 && looked > 0 && _created.TryDequeue(out var oldest); looked--)
        {
            if (YarnState.IsTerminal(oldest.State))
            {
                _apps.TryRemove(oldest.Id, out _);
                excess--;
            }
            else
            {
                _created.Enqueue(oldest);
            }
        }
    }

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
