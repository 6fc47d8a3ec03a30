using DagRunner.Hosting.Configuration;

namespace DagRunner.Hosting.Tests.Configuration;

/// <summary>Command line over environment over <c>dagrunner.json</c> over defaults, for every key each source can set.</summary>
public sealed class SettingsPrecedenceTests
{
    [Theory]
    [InlineData("")]
    [InlineData("file")]
    [InlineData("env")]
    [InlineData("option")]
    [InlineData("file,env")]
    [InlineData("file,option")]
    [InlineData("env,option")]
    [InlineData("file,env,option")]
    public void Folders_HighestSourceGiven_Wins(string given)
    {
        using var project = new SettingsProject();
        var sources = given.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var expected = sources.Length == 0 ? null : sources[^1];
        if (sources.Contains("file"))
            project.WriteSettings("""{ "dagsFolder": "file_dags", "templatesFolder": "file_templates", "home": "file_home" }""");
        if (sources.Contains("env"))
        {
            project.Environment["DAGRUNNER_DAGS_FOLDER"] = "env_dags";
            project.Environment["DAGRUNNER_TEMPLATES_FOLDER"] = "env_templates";
            project.Environment["DAGRUNNER_HOME"] = "env_home";
        }

        var overrides = sources.Contains("option")
            ? new SettingsOverrides { DagsFolder = "option_dags", TemplatesFolder = "option_templates", Home = "option_home" }
            : null;
        var dags = expected is null ? "dags" : $"{expected}_dags";
        Directory.CreateDirectory(project[dags]);

        var settings = project.Load(overrides);

        Assert.Equal(project[dags], settings.DagsFolder);
        Assert.Equal(project[expected is null ? "templates" : $"{expected}_templates"], settings.TemplatesFolder);
        Assert.Equal(project[expected is null ? ".dagrunner" : $"{expected}_home"], settings.Home);
    }

    [Theory]
    [InlineData("", 30)]
    [InlineData("file", 11)]
    [InlineData("env", 12.5)]
    [InlineData("option", 13)]
    [InlineData("file,env", 12.5)]
    [InlineData("file,option", 13)]
    [InlineData("env,option", 13)]
    [InlineData("file,env,option", 13)]
    public void LoadTimeout_HighestSourceGiven_Wins(string given, double seconds)
    {
        using var project = new SettingsProject();
        if (given.Contains("file", StringComparison.Ordinal))
            project.WriteSettings("""{ "loadTimeoutSeconds": 11 }""");
        if (given.Contains("env", StringComparison.Ordinal))
            project.Environment["DAGRUNNER_LOAD_TIMEOUT"] = "12.5";
        var overrides = given.Contains("option", StringComparison.Ordinal) ? new SettingsOverrides { LoadTimeout = TimeSpan.FromSeconds(13) } : null;

        Assert.Equal(TimeSpan.FromSeconds(seconds), project.Load(overrides).LoadTimeout);
    }

    [Theory]
    [InlineData("", 512)]
    [InlineData("file", 64)]
    [InlineData("env", 128)]
    [InlineData("option", 256)]
    [InlineData("file,env", 128)]
    [InlineData("file,option", 256)]
    [InlineData("env,option", 256)]
    [InlineData("file,env,option", 256)]
    public void LoadMemoryLimit_HighestSourceGiven_Wins(string given, int megabytes)
    {
        using var project = new SettingsProject();
        if (given.Contains("file", StringComparison.Ordinal))
            project.WriteSettings("""{ "loadMemoryLimitMb": 64 }""");
        if (given.Contains("env", StringComparison.Ordinal))
            project.Environment["DAGRUNNER_LOAD_MEMORY_LIMIT"] = "128";
        var overrides = given.Contains("option", StringComparison.Ordinal) ? new SettingsOverrides { LoadMemoryLimitMb = 256 } : null;

        Assert.Equal(megabytes, project.Load(overrides).LoadMemoryLimitMb);
    }

    [Fact]
    public void FileOnlyKeys_FromFile_OrDefaults()
    {
        using var project = new SettingsProject();
        var defaults = project.Load();
        project.WriteSettings("""
            {
              // comments and trailing commas are fine
              "parallelism": 8,
              "pools": { "yarn_queue": 4, "Small": 1 },
              "connections": { "livy_default": "http://livy:8998", "Warehouse": "https://w:443" },
            }
            """);

        var settings = project.Load();

        Assert.Equal((32, 0, 0, null), (defaults.Parallelism, defaults.Pools.Count, defaults.Connections.Count, defaults.SettingsFile));
        Assert.Equal(8, settings.Parallelism);
        Assert.Equal(["Small", "yarn_queue"], settings.Pools.Keys);
        Assert.Equal([1, 4], settings.Pools.Values);
        Assert.Equal(["Warehouse", "livy_default"], settings.Connections.Keys);
        Assert.Equal("https://w:443", settings.Connections["Warehouse"]);
        Assert.Equal(project.SettingsFile, settings.SettingsFile);
    }

    [Fact]
    public void Environment_EmptyOrBlankVariables_AreNotSet()
    {
        using var project = new SettingsProject();
        project.WriteSettings("""{ "home": "file_home", "loadTimeoutSeconds": 7, "loadMemoryLimitMb": 64 }""");
        project.Environment["DAGRUNNER_HOME"] = "";
        project.Environment["DAGRUNNER_LOAD_TIMEOUT"] = "  ";
        project.Environment["DAGRUNNER_LOAD_MEMORY_LIMIT"] = "";

        var settings = project.Load();

        Assert.Equal((project["file_home"], TimeSpan.FromSeconds(7), 64), (settings.Home, settings.LoadTimeout, settings.LoadMemoryLimitMb));
    }

    [Fact]
    public void Environment_OnlyTheKnownVariablesAreSettings()
    {
        using var project = new SettingsProject();
        project.Environment["DAGRUNNER_CONN_LIVY_DEFAULT"] = "http://livy:8998";
        project.Environment["DAGRUNNER_PARALLELISM"] = "0";
        project.Environment["DAGRUNNER_HOME__X"] = "elsewhere";

        var settings = project.Load();

        Assert.Empty(settings.Connections);
        Assert.Equal((32, project[".dagrunner"]), (settings.Parallelism, settings.Home));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(1.5)]
    [InlineData(2.7)]
    [InlineData(29.99)]
    [InlineData(0.0001234)]
    [InlineData(86_400)]
    public void LoadTimeoutOption_TravelsThroughTheConfiguration_Unchanged(double seconds)
    {
        using var project = new SettingsProject();
        var timeout = SettingsLoader.ParseSeconds(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--load-timeout");

        Assert.Equal(timeout, project.Load(new SettingsOverrides { LoadTimeout = timeout }).LoadTimeout);
    }
}
