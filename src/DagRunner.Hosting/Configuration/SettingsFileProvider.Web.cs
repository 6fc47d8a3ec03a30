using System.Text.Json;

namespace DagRunner.Hosting.Configuration;

/// <summary><c>web</c>: where the web UI listens and who may sign in (<see cref="DagRunnerWebOptions"/>).</summary>
internal sealed partial class SettingsFileProvider
{
    private static readonly string[] WebKeys = ["host", "port", "sessionMinutes", "users"];
    private static readonly string[] UserKeys = ["name", "passwordHash"];

    private void ReadWeb(JsonElement root, Dictionary<string, string?> data)
    {
        if (!root.TryGetProperty(SettingKeys.Web, out var web))
            return;
        if (web.ValueKind != JsonValueKind.Object)
            throw new ConfigurationException($"{path}: 'web' must be an object, e.g. {{\"host\": \"127.0.0.1\", \"port\": 8080, \"users\": [{{\"name\": \"ana\", \"passwordHash\": \"...\"}}]}}.");

        foreach (var property in web.EnumerateObject())
        {
            var value = property.Value;
            var (where, written) = ($"{path}: web.{property.Name}", value.GetRawText());
            var problem = property.Name switch
            {
                "host" => value.ValueKind == JsonValueKind.String ? WebSettingsProblems.HostProblem(value.GetString()) : $"{written} is not a string such as \"127.0.0.1\".",
                "port" => WebSettingsProblems.PortProblem(value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var port) ? port : -1, written),
                "sessionMinutes" => WebSettingsProblems.SessionProblem(value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var minutes) ? minutes : 0, written),
                "users" => null,
                _ => throw new ConfigurationException($"{path}: unknown web setting '{property.Name}'; the web settings are {string.Join(", ", WebKeys)}."),
            };
            if (problem is not null)
                throw new ConfigurationException($"{where}: {problem}");
            if (property.Name == "users")
                ReadUsers(value, data);
            else
                data[$"{SettingKeys.Web}:{property.Name}"] = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        }
    }

    private void ReadUsers(JsonElement users, Dictionary<string, string?> data)
    {
        if (users.ValueKind != JsonValueKind.Array)
            throw new ConfigurationException($"{path}: web.users must be a list of {{\"name\": ..., \"passwordHash\": ...}}.");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var user in users.EnumerateArray())
        {
            var where = $"{path}: web.users[{index}]";
            if (user.ValueKind != JsonValueKind.Object)
                throw new ConfigurationException($"{where} must be an object {{\"name\": ..., \"passwordHash\": ...}}.");
            var name = user.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (WebSettingsProblems.NameProblem(name) is { } nameProblem)
                throw new ConfigurationException($"{where}.name: {nameProblem}.");
            where = $"{where} ('{name}')";
            foreach (var property in user.EnumerateObject())
            {
                // Never quote the value: it is a password someone meant to keep.
                if (property.Name.Equals("password", StringComparison.OrdinalIgnoreCase))
                    throw new ConfigurationException($"{where}: a plain-text \"password\" is refused (a password is never kept in a settings file); {WebSettingsProblems.HashHint}.");
                if (!UserKeys.Contains(property.Name, StringComparer.Ordinal))
                    throw new ConfigurationException($"{where}: unknown user setting '{property.Name}'; a user has {string.Join(", ", UserKeys)}.");
            }

            if (!names.Add(name!))
                throw new ConfigurationException($"{where}: the user is given twice (names are compared ignoring case).");
            var hash = user.TryGetProperty("passwordHash", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            if (WebPasswordHash.Problem(hash) is { } hashProblem)
                throw new ConfigurationException($"{where}.passwordHash: {hashProblem}; {WebSettingsProblems.HashHint}.");
            data[$"{SettingKeys.Web}:users:{index}:name"] = name;
            data[$"{SettingKeys.Web}:users:{index}:passwordHash"] = hash;
            index++;
        }
    }
}
