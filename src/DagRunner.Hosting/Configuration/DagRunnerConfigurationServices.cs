using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DagRunner.Hosting.Configuration;

/// <summary>DI registration of DagRunner's configuration, for a host that reads <c>IOptions&lt;DagRunnerOptions&gt;</c>.</summary>
public static class DagRunnerConfigurationServices
{
    /// <summary>
    /// Registers <see cref="DagRunnerOptions"/> bound from <see cref="DagRunnerConfiguration"/>'s sources and
    /// validated at start (<c>ValidateOnStart</c>), and the resolved <see cref="DagRunnerSettings"/> unless one
    /// is registered already. The same sources, precedence and checks as <see cref="SettingsLoader.Load"/>.
    /// </summary>
    /// <exception cref="ConfigurationException"><c>dagrunner.json</c> is malformed (it is read here).
    /// A malformed environment variable or option is a <see cref="ConfigurationException"/> when the options
    /// are first built; a home that is a file or a missing DAGs folder an <see cref="OptionsValidationException"/>.</exception>
    public static IServiceCollection AddDagRunnerConfiguration(
        this IServiceCollection services, SettingsOverrides overrides, Func<string, string?> environment, string currentDirectory, bool requireDagsFolder = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        var configuration = DagRunnerConfiguration.Build(overrides, environment, currentDirectory);
        services.AddSingleton<IConfigureOptions<DagRunnerOptions>>(new DagRunnerOptionsSetup(configuration, currentDirectory));
        services.AddSingleton<IValidateOptions<DagRunnerOptions>>(new DagRunnerOptionsValidator(requireDagsFolder));
        services.AddOptions<DagRunnerOptions>().ValidateOnStart();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<DagRunnerOptions>>().Value.ToSettings());
        return services;
    }
}
