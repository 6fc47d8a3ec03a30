using DagRunner.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DagRunner.Hosting.Tests.Configuration;

/// <summary>A host reads the same settings through <c>IOptions&lt;DagRunnerOptions&gt;</c>, validated at start.</summary>
public sealed class DagRunnerConfigurationServicesTests
{
    [Fact]
    public void AddDagRunnerConfiguration_OptionsAndSettings_ResolvedAsTheLoaderDoes()
    {
        using var project = new SettingsProject();
        project.WriteSettings("""{ "home": "state", "parallelism": 4, "pools": { "q": 2 }, "connections": { "livy_default": "http://livy:8998" } }""");
        project.Environment["DAGRUNNER_LOAD_TIMEOUT"] = "9";
        var overrides = new SettingsOverrides { LoadMemoryLimitMb = 128 };
        using var services = new ServiceCollection()
            .AddDagRunnerConfiguration(overrides, name => project.Environment.GetValueOrDefault(name), project.Path)
            .BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<DagRunnerOptions>>().Value;
        var settings = services.GetRequiredService<DagRunnerSettings>();

        Assert.Equal((project["state"], 9.0, 128, 4), (options.Home, options.LoadTimeoutSeconds, options.LoadMemoryLimitMb, options.Parallelism));
        Assert.Equal(project.SettingsFile, options.SettingsFile);
        var loaded = project.Load(overrides);
        Assert.Equal(loaded, settings with { Connections = loaded.Connections, Pools = loaded.Pools });
        Assert.Equal(loaded.Connections, settings.Connections);
        Assert.Equal(loaded.Pools, settings.Pools);
    }

    [Fact]
    public void AddDagRunnerConfiguration_HomeIsAFile_FailsAtStart()
    {
        using var project = new SettingsProject();
        project.Write(".dagrunner", "");
        using var services = new ServiceCollection()
            .AddDagRunnerConfiguration(new SettingsOverrides(), _ => null, project.Path)
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal([$"The home {project[".dagrunner"]} is a file, not a folder; point --home, DAGRUNNER_HOME or \"home\" in dagrunner.json at a folder (the file is left as it is)."], error.Failures);
    }

    [Fact]
    public void AddDagRunnerConfiguration_BadEnvironmentVariable_FailsAtStartNamingIt()
    {
        using var project = new SettingsProject();
        using var services = new ServiceCollection()
            .AddDagRunnerConfiguration(new SettingsOverrides(), name => name == "DAGRUNNER_LOAD_MEMORY_LIMIT" ? "8" : null, project.Path)
            .BuildServiceProvider();

        var error = Assert.Throws<ConfigurationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("environment variable DAGRUNNER_LOAD_MEMORY_LIMIT: '8'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDagRunnerConfiguration_MalformedFile_FailsWhenRegistered()
    {
        using var project = new SettingsProject();
        project.WriteSettings("{");

        var error = Assert.Throws<ConfigurationException>(() => new ServiceCollection().AddDagRunnerConfiguration(new SettingsOverrides(), _ => null, project.Path));

        Assert.StartsWith($"{project.SettingsFile}:1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDagRunnerConfiguration_SettingsAlreadyRegistered_AreKept()
    {
        using var project = new SettingsProject();
        var registered = new DagRunnerSettings { DagsFolder = "d", TemplatesFolder = "t", Home = "h" };
        using var services = new ServiceCollection()
            .AddSingleton(registered)
            .AddDagRunnerConfiguration(new SettingsOverrides(), _ => null, project.Path)
            .BuildServiceProvider();

        Assert.Same(registered, services.GetRequiredService<DagRunnerSettings>());
    }

    [Fact]
    public void ValidatedOptions_SetInCode_OutOfRange_AreRefused()
    {
        using var project = new SettingsProject();
        using var services = new ServiceCollection()
            .AddDagRunnerConfiguration(new SettingsOverrides(), _ => null, project.Path)
            .Configure<DagRunnerOptions>(options => options.Parallelism = 0)
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DagRunnerOptions>>().Value);

        Assert.Equal("'parallelism' must be a whole number of at least 1, not 0.", error.Message);
    }
}
