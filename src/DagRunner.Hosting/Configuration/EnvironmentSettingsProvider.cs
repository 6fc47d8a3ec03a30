namespace DagRunner.Hosting.Configuration;

/// <summary>
/// The settings given as <c>DAGRUNNER_</c> environment variables (<see cref="SettingKeys.Variables"/>),
/// read through the function the host passes in rather than from the process, so that tests and
/// other hosts decide what the environment is. An empty variable is not set; relative folders are
/// relative to the current folder. Values are checked when they are bound, and only when they win.
/// </summary>
internal sealed class EnvironmentSettingsProvider(Func<string, string?> environment, string currentDirectory) : SettingsProvider
{
    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, variable) in SettingKeys.Variables)
        {
            var value = environment(variable);
            if (SettingKeys.Folders.Contains(key))
            {
                if (value is { Length: > 0 })
                    data[key] = FullPath(key, value, currentDirectory);
            }
            else if (!string.IsNullOrWhiteSpace(value))
            {
                data[key] = value;
            }
        }

        Data = data;
    }

    public override string Describe(string key) =>
        SettingKeys.Variables.TryGetValue(key, out var variable) ? $"environment variable {variable}" : $"environment ({key})";
}
