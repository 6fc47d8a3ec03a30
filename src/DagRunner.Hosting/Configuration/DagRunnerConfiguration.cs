using Microsoft.Extensions.Configuration;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// Composes DagRunner's configuration: <c>dagrunner.json</c> in the current folder, then the
/// <c>DAGRUNNER_</c> environment variables, then the command-line options, each source winning
/// over the ones before it.
/// </summary>
public static class DagRunnerConfiguration
{
    /// <summary>Adds DagRunner's three sources to <paramref name="builder"/>, lowest precedence first.</summary>
    /// <exception cref="ConfigurationException">When built: <c>dagrunner.json</c> is malformed, has an unknown
    /// key or a value of the wrong type or range; the message names the file and line or key.</exception>
    public static IConfigurationBuilder AddDagRunnerSources(this IConfigurationBuilder builder, SettingsOverrides overrides, Func<string, string?> environment, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(environment);
        return builder
            .Add(new SettingsFileProvider(Path.Combine(currentDirectory, DagRunnerSettings.FileName)))
            .Add(new EnvironmentSettingsProvider(environment, currentDirectory))
            .Add(new CommandLineSettingsProvider(overrides, currentDirectory));
    }

    /// <summary>The configuration of <see cref="AddDagRunnerSources"/> on its own.</summary>
    /// <exception cref="ConfigurationException">See <see cref="AddDagRunnerSources"/>.</exception>
    public static IConfigurationRoot Build(SettingsOverrides overrides, Func<string, string?> environment, string currentDirectory) =>
        new ConfigurationBuilder().AddDagRunnerSources(overrides, environment, currentDirectory).Build();

    /// <summary>Where the value of <paramref name="key"/> in force was written, as an error message starts.</summary>
    internal static string Describe(this IConfigurationRoot configuration, string key)
    {
        // The last provider holding a key is the one whose value is in force.
        var provider = configuration.Providers.Reverse().FirstOrDefault(p => p.TryGet(key, out _));
        return provider is SettingsProvider ours ? ours.Describe(key) : $"setting '{key}'";
    }
}
