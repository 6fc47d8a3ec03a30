using System.Globalization;
using DagRunner.Clients.Livy;

namespace DagRunner.Operators.Livy.Session;

/// <summary>
/// Keeps each session task's Livy session between runs, for <c>dev --run DAG --warm</c>: the next
/// run of the task takes the session back and runs only the statements from the first one whose
/// rendered code changed, since the session still holds what the earlier ones did. Off unless
/// <see cref="Enabled"/>; a session whose settings changed, or that died, is replaced.
/// <see cref="CloseAllAsync"/> deletes what is kept.
/// </summary>
public sealed class WarmSessions : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WarmSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Whether session tasks keep their sessions. Default: false (every run creates and deletes its session).</summary>
    public bool Enabled { get; set; }

    /// <summary>How many sessions are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _sessions.Count;
        }
    }

    /// <summary>Takes the session kept for a task, if any; it is the caller's until it is kept again.</summary>
    internal WarmSession? Take(string taskKey)
    {
        lock (_gate)
            return _sessions.Remove(taskKey, out var session) ? session : null;
    }

    /// <summary>Keeps a task's session for its next run.</summary>
    internal void Keep(string taskKey, WarmSession session)
    {
        WarmSession? replaced;
        lock (_gate)
        {
            _sessions.Remove(taskKey, out replaced);
            _sessions[taskKey] = session;
        }

        if (replaced is not null && replaced.SessionId != session.SessionId)
            _ = replaced.DeleteAsync();
    }

    /// <summary>Deletes every kept session; returns how many there were.</summary>
    public async Task<int> CloseAllAsync()
    {
        WarmSession[] all;
        lock (_gate)
        {
            all = [.. _sessions.Values];
            _sessions.Clear();
        }

        await Task.WhenAll(all.Select(s => s.DeleteAsync())).ConfigureAwait(false);
        return all.Length;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await CloseAllAsync().ConfigureAwait(false);

    /// <summary>What decides whether a kept session can serve a run: every setting of the request but its name, and the server.</summary>
    internal static string Fingerprint(LivySessionRequest request, Uri server) =>
        string.Join('\u001f', new object?[]
        {
            server, request.Kind, request.HeartbeatTimeoutInSecond, request.Ttl, Join(request.Jars), Join(request.PyFiles), Join(request.Files), Join(request.Archives),
            request.DriverMemory, request.DriverCores, request.ExecutorMemory, request.ExecutorCores, request.NumExecutors, request.Queue, request.ProxyUser,
            request.Conf is null ? null : string.Join('\u001e', request.Conf.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + "=" + WithoutRunTag(c.Key, c.Value))),
        }.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));

    // Each attempt tags its YARN application with a tag of its own (to find it again): not a setting.
    private static string WithoutRunTag(string key, string value) =>
        key != "spark.yarn.tags" ? value : string.Join(',', value.Split(',').Where(t => !t.StartsWith("dagrunner-", StringComparison.Ordinal)));

    private static string? Join(IReadOnlyList<string>? values) => values is null ? null : string.Join('\u001e', values);
}

/// <summary>A kept session: its id, the settings it was created with, and the statements it ran, with their outputs.</summary>
internal sealed record WarmSession(string SessionId, string Fingerprint, IReadOnlyList<string> Codes, IReadOnlyList<string?> Outputs, LivyClient Livy, TimeSpan CleanupTimeout, TimeProvider Time)
{
    /// <summary>How many statements, from the first, can be skipped: those whose code is what this session already ran.</summary>
    public int UnchangedPrefix(IReadOnlyList<string> codes)
    {
        var same = 0;
        while (same < codes.Count && same < Codes.Count && codes[same] == Codes[same])
            same++;
        return same;
    }

    public async Task DeleteAsync()
    {
        using var budget = new CancellationTokenSource(CleanupTimeout, Time);
        try
        {
            await Livy.DeleteSessionAsync(SessionId, budget.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DagRunner.Clients.Http.RemoteApiException or OperationCanceledException or HttpRequestException)
        {
            // Livy reclaims it after its heartbeat timeout; nothing else can be done here.
        }
    }
}
