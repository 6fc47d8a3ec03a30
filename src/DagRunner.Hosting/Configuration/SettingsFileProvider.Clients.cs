using System.Text.Json;

namespace DagRunner.Hosting.Configuration;

/// <summary><c>clients</c>: how the remote clients wait and retry (<see cref="DagRunnerClientOptions"/>).</summary>
internal sealed partial class SettingsFileProvider
{
    private void ReadClients(JsonElement root, Dictionary<string, string?> data)
    {
        if (!root.TryGetProperty(SettingKeys.Clients, out var clients))
            return;
        if (clients.ValueKind != JsonValueKind.Object)
            throw new ConfigurationException($"{path}: 'clients' must be an object of client settings, e.g. {{\"{ClientSettingKeys.RequestTimeoutSeconds}\": 120}}.");

        foreach (var property in clients.EnumerateObject())
        {
            var value = property.Value;
            var written = value.GetRawText();
            var problem = property.Name switch
            {
                _ when ClientSettingKeys.IsSeconds(property.Name) => ClientSettingKeys.SecondsProblem(
                    value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) ? seconds : double.NaN, written),
                ClientSettingKeys.MaxRetries => ClientSettingKeys.RetriesProblem(
                    value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var retries) ? retries : 0, written),
                ClientSettingKeys.RequestedBy => ClientSettingKeys.RequestedByProblem(
                    value.ValueKind == JsonValueKind.String ? value.GetString() : null, written),
                _ => throw new ConfigurationException(
                    $"{path}: unknown client setting '{property.Name}'; the client settings are {string.Join(", ", ClientSettingKeys.All)}."),
            };
            if (problem is not null)
                throw new ConfigurationException($"{path}: {SettingKeys.Clients}.{property.Name}: {problem}");

            data[$"{SettingKeys.Clients}:{property.Name}"] = value.ValueKind == JsonValueKind.String ? value.GetString() : written;
        }
    }
}
