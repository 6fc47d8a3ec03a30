using System.Globalization;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// The settings given as command-line options, already parsed by the front end into
/// <see cref="SettingsOverrides"/>; relative folders are relative to the current folder.
/// </summary>
internal sealed class CommandLineSettingsProvider(SettingsOverrides overrides, string currentDirectory) : SettingsProvider
{
    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Folder(SettingKeys.DagsFolder, overrides.DagsFolder);
        Folder(SettingKeys.TemplatesFolder, overrides.TemplatesFolder);
        Folder(SettingKeys.Home, overrides.Home);
        if (overrides.Store is not null)
            data[SettingKeys.Store] = overrides.Store;
        if (overrides.LoadTimeout is { } timeout)
            data[SettingKeys.LoadTimeoutSeconds] = timeout.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
        if (overrides.LoadMemoryLimitMb is { } megabytes)
            data[SettingKeys.LoadMemoryLimitMb] = megabytes.ToString(CultureInfo.InvariantCulture);
        Data = data;

        void Folder(string key, string? value)
        {
            if (value is not null)
                data[key] = FullPath(key, value, currentDirectory);
        }
    }

    public override string Describe(string key) =>
        SettingKeys.Options.TryGetValue(key, out var option) ? option : $"command line ({key})";
}
