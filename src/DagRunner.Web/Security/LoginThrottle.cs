using System.Collections.Concurrent;

namespace DagRunner.Web.Security;

/// <summary>
/// Slows down password guessing: after <see cref="MaxFailures"/> failed sign-ins for one user name from one
/// address within <see cref="Window"/>, further tries are refused (without checking the password) for
/// <see cref="Lockout"/>. A success forgets the failures. Times come from the host's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Lockout = TimeSpan.FromSeconds(30);

    // Bounds the memory a stream of made-up names can take: beyond it, stale entries are dropped.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>How long until <paramref name="user"/> may try again from <paramref name="address"/>; null when now.</summary>
    public TimeSpan? Wait(string user, string address) =>
        Left(Key(user, address), MaxFailures) ?? Left(AddressKey(address), MaxAddressFailures);

    // One address trying many names (each PBKDF2 check costs a core tens of milliseconds) waits too.
    public const int MaxAddressFailures = 20;

    private TimeSpan? Left(string key, int most)
    {
        if (!_failures.TryGetValue(key, out var failures) || failures.Count < most)
            return null;
        var left = failures.Last + Lockout - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    public void Failed(string user, string address)
    {
        var now = time.GetUtcNow();
        if (_failures.Count >= MaxEntries)
        {
            foreach (var (key, stale) in _failures)
            {
                if (now - stale.Last > Window)
                    _failures.TryRemove(key, out _);
            }
        }

        foreach (var key in (string[])[Key(user, address), AddressKey(address)])
        {
            _failures.AddOrUpdate(key, _ => new Failures(1, now),
                (_, before) => now - before.Last > Window ? new Failures(1, now) : new Failures(before.Count + 1, now));
        }
    }

    public void Succeeded(string user, string address) => _failures.TryRemove(Key(user, address), out _);

    private static string Key(string user, string address) => $"U{user.ToUpperInvariant()}\n{address}";

    private static string AddressKey(string address) => $"A\n{address}";

    private sealed record Failures(int Count, DateTimeOffset Last);
}
