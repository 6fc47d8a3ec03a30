using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// Binds <see cref="DagRunnerOptions"/> from DagRunner's configuration and makes its folders full
/// paths (the defaults relative to <paramref name="currentDirectory"/>).
/// </summary>
internal sealed class DagRunnerOptionsSetup(IConfigurationRoot configuration, string currentDirectory) : IConfigureOptions<DagRunnerOptions>
{
    /// <exception cref="ConfigurationException">A number given in the environment or on the command line is malformed.</exception>
    public void Configure(DagRunnerOptions options)
    {
        // The binder can neither say where a value came from nor quote it as the user wrote it, and it
        // accepts forms we refuse ("+64", "0x40"): check the texts first, naming the source in force.
        // (dagrunner.json's values were checked when the file was read.)
        Check(SettingKeys.LoadTimeoutSeconds, SettingsLoader.ParseSeconds);
        Check(SettingKeys.LoadMemoryLimitMb, SettingsLoader.ParseMegabytes);
        Check(SettingKeys.CompileServer, SettingsLoader.ParseSwitch);
        Check(SettingKeys.WebPort, WebSettingsProblems.ParsePort);
        configuration.Bind(options);
        if (SettingsLoader.ParseSwitch(configuration[SettingKeys.CompileServer], configuration.Describe(SettingKeys.CompileServer)) is { } server)
            options.UseCompileServer = server;

        options.DagsFolder = Path.GetFullPath(options.DagsFolder, currentDirectory);
        options.TemplatesFolder = Path.GetFullPath(options.TemplatesFolder, currentDirectory);
        options.Home = Path.GetFullPath(options.Home, currentDirectory);
        options.SettingsFile = configuration.Providers.OfType<SettingsFileProvider>().FirstOrDefault(file => file.Found)?.FilePath;
    }

    private void Check<T>(string key, Func<string?, string, T> parse)
    {
        if (configuration[key] is { } text)
            _ = parse(text, configuration.Describe(key));
    }
}
