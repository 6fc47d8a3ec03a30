using System.Globalization;

namespace DagRunner.Hosting.Configuration;

/// <summary>The checks of the <c>web</c> settings, shared by the file's reader and the options validator. Messages
/// never quote a password or a hash: only where it was written and what to do.</summary>
internal static class WebSettingsProblems
{
    public const int MaxSessionMinutes = 43_200;

    /// <summary>How to make a hash, the end of every message about one.</summary>
    public const string HashHint = "make a hash with `dagrunner web hash-password` (it reads the password from standard input) and give it as \"passwordHash\"";

    /// <summary>Parses a port (0 to 65,535), or returns <see langword="null"/> for an empty value.</summary>
    /// <exception cref="ConfigurationException">The text is not a port; the message starts with <paramref name="where"/>.</exception>
    public static int? ParsePort(string? text, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65_535
            ? port
            : throw new ConfigurationException($"{where}: '{text}' is not a port (a whole number from 0 to 65535; 0 picks a free one).");
    }

    public static string? PortProblem(int port, string? written = null) =>
        port is >= 0 and <= 65_535 ? null : $"{written ?? port.ToString(CultureInfo.InvariantCulture)} is not a port (a whole number from 0 to 65535; 0 picks a free one).";

    public static string? HostProblem(string? host) =>
        !string.IsNullOrWhiteSpace(host) && !host.Any(char.IsWhiteSpace) && !host.Contains('/', StringComparison.Ordinal)
            ? null
            : $"'{host}' is not an address (an IP address such as 127.0.0.1 or 0.0.0.0, or a host name).";

    public static string? SessionProblem(int minutes, string? written = null) =>
        minutes is >= 1 and <= MaxSessionMinutes ? null : $"{written ?? minutes.ToString(CultureInfo.InvariantCulture)} is not a number of minutes from 1 to {MaxSessionMinutes} (30 days).";

    public static string? NameProblem(string? name) =>
        name is { Length: > 0 and <= 100 } && name.All(c => c > ' ' && c != 0x7f)
            ? null
            : "a user's name must be 1 to 100 characters without spaces or control characters";

    /// <summary>The first problem of <paramref name="web"/> (values a host set in code), or null.</summary>
    public static string? Of(DagRunnerWebOptions web)
    {
        if (HostProblem(web.Host) is { } host)
            return $"{SettingKeys.Web}.host: {host}";
        if (PortProblem(web.Port) is { } port)
            return $"{SettingKeys.Web}.port: {port}";
        if (SessionProblem(web.SessionMinutes) is { } session)
            return $"{SettingKeys.Web}.sessionMinutes: {session}";
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < web.Users.Count; i++)
        {
            var user = web.Users[i];
            if (NameProblem(user.Name) is { } name)
                return $"{SettingKeys.Web}.users[{i}]: {name}.";
            if (!names.Add(user.Name))
                return $"{SettingKeys.Web}.users[{i}]: the user '{user.Name}' is given twice (names are compared ignoring case).";
            if (WebPasswordHash.Problem(user.PasswordHash) is { } hash)
                return $"{SettingKeys.Web}.users[{i}] ('{user.Name}').passwordHash: {hash}; {HashHint}.";
        }

        return null;
    }
}
