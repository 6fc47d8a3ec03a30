using DagRunner.Hosting.Configuration;
using DagRunner.Testing;

namespace DagRunner.Hosting.Tests.Configuration;

/// <summary>A project folder with a <c>dags/</c> folder, an optional <c>dagrunner.json</c> and an environment of its own.</summary>
internal sealed class SettingsProject : IDisposable
{
    private readonly TempFolder _folder = new("dagrunner-settings");

    public SettingsProject() => Directory.CreateDirectory(_folder["dags"]);

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string Path => _folder.Path;

    public string SettingsFile => _folder[DagRunnerSettings.FileName];

    public string this[string relative] => System.IO.Path.GetFullPath(relative, _folder.Path);

    public void WriteSettings(string json) => _folder.Write(DagRunnerSettings.FileName, json);

    public string Write(string relative, string content) => _folder.Write(relative, content);

    public DagRunnerSettings Load(SettingsOverrides? overrides = null, bool requireDagsFolder = true) =>
        SettingsLoader.Load(overrides ?? new SettingsOverrides(), name => Environment.GetValueOrDefault(name), Path, requireDagsFolder);

    /// <summary>The message of the configuration error loading gives.</summary>
    public string Error(SettingsOverrides? overrides = null, bool requireDagsFolder = true) =>
        Assert.Throws<ConfigurationException>(() => Load(overrides, requireDagsFolder)).Message;

    public void Dispose() => _folder.Dispose();
}
