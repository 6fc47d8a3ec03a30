using DagRunner.Hosting.Configuration;

namespace DagRunner.Hosting.Tests.Configuration;

/// <summary>Every bad value is one message naming what and where, the same as before the settings went through
/// Microsoft.Extensions.Configuration.</summary>
public sealed class SettingsErrorTests
{
    [Theory]
    [InlineData("soon", "environment variable DAGRUNNER_LOAD_TIMEOUT: 'soon' is not a positive number of seconds.")]
    [InlineData("0", "environment variable DAGRUNNER_LOAD_TIMEOUT: '0' is not a positive number of seconds.")]
    [InlineData("-1", "environment variable DAGRUNNER_LOAD_TIMEOUT: '-1' is not a positive number of seconds.")]
    [InlineData("Infinity", "environment variable DAGRUNNER_LOAD_TIMEOUT: 'Infinity' is not a positive number of seconds.")]
    [InlineData("NaN", "environment variable DAGRUNNER_LOAD_TIMEOUT: 'NaN' is not a positive number of seconds.")]
    [InlineData("86401", "environment variable DAGRUNNER_LOAD_TIMEOUT: 86401 seconds is more than the limit of 86400 (one day).")]
    public void LoadTimeout_BadEnvironmentVariable_NamesIt(string value, string message)
    {
        using var project = new SettingsProject();
        project.Environment["DAGRUNNER_LOAD_TIMEOUT"] = value;

        Assert.Equal(message, project.Error());
    }

    [Theory]
    [InlineData("8")]
    [InlineData("+64")]
    [InlineData(" 64")]
    [InlineData("0x40")]
    [InlineData("64.0")]
    [InlineData("1048577")]
    [InlineData("lots")]
    public void LoadMemoryLimit_BadEnvironmentVariable_NamesIt(string value)
    {
        using var project = new SettingsProject();
        project.Environment["DAGRUNNER_LOAD_MEMORY_LIMIT"] = value;

        Assert.Equal($"environment variable DAGRUNNER_LOAD_MEMORY_LIMIT: '{value}' is not a whole number of megabytes from 32 to 1048576.", project.Error());
    }

    [Theory]
    [InlineData("off", false)]
    [InlineData("FALSE", false)]
    [InlineData("0", false)]
    [InlineData("on", true)]
    [InlineData("true", true)]
    public void CompileServer_EnvironmentVariable_TurnsItOnOrOff(string value, bool expected)
    {
        using var project = new SettingsProject();
        project.WriteSettings("""{ "compileServer": true }""");
        project.Environment["DAGRUNNER_COMPILE_SERVER"] = value;

        Assert.Equal(expected, project.Load().CompileServer);
    }

    [Fact]
    public void CompileServer_OnByDefault_OffInTheFile()
    {
        using var project = new SettingsProject();
        Assert.True(project.Load().CompileServer);

        project.WriteSettings("""{ "compileServer": false }""");

        Assert.False(project.Load().CompileServer);
    }

    [Fact]
    public void CompileServer_BadEnvironmentVariable_NamesIt()
    {
        using var project = new SettingsProject();
        project.Environment["DAGRUNNER_COMPILE_SERVER"] = "maybe";

        Assert.Equal("environment variable DAGRUNNER_COMPILE_SERVER: 'maybe' is neither true nor false (on/off, 1/0).", project.Error());
    }

    [Fact]
    public void BadEnvironmentVariable_OverriddenByTheOption_IsNotAnError()
    {
        using var project = new SettingsProject();
        project.Environment["DAGRUNNER_LOAD_TIMEOUT"] = "soon";
        project.Environment["DAGRUNNER_LOAD_MEMORY_LIMIT"] = "8";

        var settings = project.Load(new SettingsOverrides { LoadTimeout = TimeSpan.FromSeconds(3), LoadMemoryLimitMb = 64 });

        Assert.Equal((TimeSpan.FromSeconds(3), 64), (settings.LoadTimeout, settings.LoadMemoryLimitMb));
    }

    [Fact]
    public void BadFileValue_OverriddenByTheEnvironment_IsStillAnError()
    {
        using var project = new SettingsProject();
        project.WriteSettings("""{ "loadTimeoutSeconds": 0 }""");
        project.Environment["DAGRUNNER_LOAD_TIMEOUT"] = "5";

        Assert.Equal($"{project.SettingsFile}: loadTimeoutSeconds: '0' is not a positive number of seconds.", project.Error());
    }

    [Fact]
    public void Options_Bad_NameTheOption()
    {
        using var project = new SettingsProject();

        Assert.Equal("--load-timeout: '0' is not a positive number of seconds.", project.Error(new SettingsOverrides { LoadTimeout = TimeSpan.Zero }));
        Assert.Equal("--load-memory-limit: '16' is not a whole number of megabytes from 32 to 1048576.", project.Error(new SettingsOverrides { LoadMemoryLimitMb = 16 }));
        Assert.Equal("--home: a folder is needed, not an empty value.", project.Error(new SettingsOverrides { Home = "" }));
    }

    [Fact]
    public void ParseHelpers_TheCommandLineUses_KeepTheirMessages()
    {
        Assert.Null(SettingsLoader.ParseSeconds(" ", "--load-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(1.5), SettingsLoader.ParseSeconds("1.5", "--load-timeout"));
        Assert.Equal("--load-timeout: 'NaN' is not a positive number of seconds.",
            Assert.Throws<ConfigurationException>(() => SettingsLoader.ParseSeconds("NaN", "--load-timeout")).Message);
        Assert.Null(SettingsLoader.ParseMegabytes(null, "--load-memory-limit"));
        Assert.Equal(32, SettingsLoader.ParseMegabytes("32", "--load-memory-limit"));
        Assert.Equal("--load-memory-limit: '31' is not a whole number of megabytes from 32 to 1048576.",
            Assert.Throws<ConfigurationException>(() => SettingsLoader.ParseMegabytes("31", "--load-memory-limit")).Message);
    }

    [Theory]
    [InlineData("""{ "loadTimeoutSeconds": "5" }""", "loadTimeoutSeconds: 'invalid' is not a positive number of seconds.")]
    [InlineData("""{ "loadTimeoutSeconds": 0 }""", "loadTimeoutSeconds: '0' is not a positive number of seconds.")]
    [InlineData("""{ "loadTimeoutSeconds": 1e6 }""", "loadTimeoutSeconds: 1e6 seconds is more than the limit of 86400 (one day).")]
    [InlineData("""{ "loadMemoryLimitMb": 16 }""", "loadMemoryLimitMb: '16' is not a whole number of megabytes from 32 to 1048576.")]
    [InlineData("""{ "loadMemoryLimitMb": "64" }""", "loadMemoryLimitMb: 'invalid' is not a whole number of megabytes from 32 to 1048576.")]
    [InlineData("""{ "compileServer": "no" }""", "compileServer must be true or false, not \"no\".")]
    [InlineData("""{ "parallelism": 0 }""", "'parallelism' must be a whole number of at least 1, not 0.")]
    [InlineData("""{ "parallelism": "8" }""", "'parallelism' must be a whole number of at least 1, not \"8\".")]
    [InlineData("""{ "parallelism": 1.5 }""", "'parallelism' must be a whole number of at least 1, not 1.5.")]
    [InlineData("""{ "pools": 4 }""", "'pools' must be an object of pool name to slot count, e.g. {\"yarn_queue\": 4}.")]
    [InlineData("""{ "pools": { "yarn_queue": 0 } }""", "pool 'yarn_queue' must be a whole number of at least 1, not 0.")]
    [InlineData("""{ "connections": [] }""", "'connections' must be an object of connection id to URI.")]
    [InlineData("""{ "connections": { "livy_default": 8998 } }""", "connection 'livy_default' must be a URI string.")]
    [InlineData("""{ "home": 5 }""", "'home' must be a string.")]
    [InlineData("""{ "dagsFolder": false }""", "'dagsFolder' must be a string.")]
    [InlineData("""{ "templatesFolder": {} }""", "'templatesFolder' must be a string.")]
    [InlineData("""{ "home": "" }""", "'home': a folder is needed, not an empty value.")]
    [InlineData("""[ "home" ]""", "the settings must be a JSON object.")]
    [InlineData("""{ "dagFolder": "x" }""",
        "unknown setting 'dagFolder'; the settings are dagsFolder, templatesFolder, home, store, loadTimeoutSeconds, loadMemoryLimitMb, compileServer, connections, parallelism, pools, clients, web.")]
    [InlineData("""{ "DagsFolder": "x" }""",
        "unknown setting 'DagsFolder'; the settings are dagsFolder, templatesFolder, home, store, loadTimeoutSeconds, loadMemoryLimitMb, compileServer, connections, parallelism, pools, clients, web.")]
    public void File_BadValue_NamesTheFileAndKey(string json, string message)
    {
        using var project = new SettingsProject();
        project.WriteSettings(json);

        Assert.Equal($"{project.SettingsFile}: {message}", project.Error());
    }

    [Fact]
    public void File_Malformed_NamesFileLineAndColumn()
    {
        using var project = new SettingsProject();
        project.WriteSettings("{\n  \"home\": \n}");

        var error = Assert.Throws<ConfigurationException>(() => project.Load());

        Assert.StartsWith($"{project.SettingsFile}:3:1: not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public void File_Empty_IsMalformed()
    {
        using var project = new SettingsProject();
        project.WriteSettings("");

        Assert.StartsWith($"{project.SettingsFile}:1:1: not valid JSON: ", project.Error(), StringComparison.Ordinal);
    }

    [Fact]
    public void Home_IsAFile_Refused()
    {
        using var project = new SettingsProject();
        var home = project.Write("state", "not a folder");
        project.Environment["DAGRUNNER_HOME"] = "state";

        Assert.Equal(
            $"The home {home} is a file, not a folder; point --home, DAGRUNNER_HOME or \"home\" in dagrunner.json at a folder (the file is left as it is).",
            project.Error(requireDagsFolder: false));
        Assert.True(File.Exists(home));
    }

    [Fact]
    public void DagsFolder_Missing_RefusedUnlessNotRequired()
    {
        using var project = new SettingsProject();
        project.WriteSettings("""{ "dagsFolder": "nowhere" }""");

        Assert.Equal(
            $"The DAGs folder {project["nowhere"]} does not exist; create it or point --dags-folder, DAGRUNNER_DAGS_FOLDER or \"dagsFolder\" in dagrunner.json at yours.",
            project.Error());
        Assert.Equal(project["nowhere"], project.Load(requireDagsFolder: false).DagsFolder);
    }

    [Fact]
    public void HomeThatIsAFile_IsReportedBeforeAMissingDagsFolder()
    {
        using var project = new SettingsProject();
        project.Write("state", "");

        Assert.StartsWith("The home ", project.Error(new SettingsOverrides { Home = "state", DagsFolder = "nowhere" }), StringComparison.Ordinal);
    }

    // Configuration keys ignore case and split on ':', so such names would silently merge or nest.
    [Theory]
    [InlineData("""{ "connections": { "livy_prod": "http://a:8998", "LIVY_PROD": "http://b:8998" } }""", "connections 'livy_prod' and 'LIVY_PROD' differ only in case; names are compared ignoring case: rename one.")]
    [InlineData("""{ "pools": { "yarn": 2, "Yarn": 4 } }""", "pools 'yarn' and 'Yarn' differ only in case; names are compared ignoring case: rename one.")]
    [InlineData("""{ "connections": { "livy:prod": "http://a:8998" } }""", "connection 'livy:prod': ':' is not allowed in a name.")]
    [InlineData("""{ "pools": { "a:b": 2 } }""", "pool 'a:b': ':' is not allowed in a name.")]
    [InlineData("""{ "pools": { "yarn": 2, "yarn": 4 } }""", "pool 'yarn' is given twice.")]
    public void NamesThatWouldMergeOrNest_AreRefusedNamingThem(string json, string message)
    {
        using var project = new SettingsProject();
        project.WriteSettings(json);

        Assert.Equal($"{project.SettingsFile}: {message}", project.Error());
    }
}
