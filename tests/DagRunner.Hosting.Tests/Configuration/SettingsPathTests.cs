using DagRunner.Hosting.Configuration;

namespace DagRunner.Hosting.Tests.Configuration;

/// <summary>Relative folders: those in <c>dagrunner.json</c> relative to the file, the others to the current folder.</summary>
public sealed class SettingsPathTests
{
    [Fact]
    public void File_RelativeFolders_AreRelativeToTheFilesFolder()
    {
        using var project = new SettingsProject();
        project.Write("shared/dags/a.csx", "");
        project.WriteSettings("""{ "dagsFolder": "shared/dags", "templatesFolder": "../elsewhere/templates", "home": "./state/../state" }""");

        var settings = project.Load();

        Assert.Equal(project["shared/dags"], settings.DagsFolder);
        Assert.Equal(Path.GetFullPath(Path.Combine(project.Path, "..", "elsewhere", "templates")), settings.TemplatesFolder);
        Assert.Equal(project["state"], settings.Home);
        Assert.Equal(Path.Combine(project["state"], "cache", "scripts"), settings.CacheFolder);
    }

    [Fact]
    public void EnvironmentAndOptions_RelativeFolders_AreRelativeToTheCurrentFolder()
    {
        using var project = new SettingsProject();
        Directory.CreateDirectory(project["env/dags"]);
        project.Environment["DAGRUNNER_DAGS_FOLDER"] = "env/dags";
        project.Environment["DAGRUNNER_HOME"] = "env/home";

        var settings = project.Load(new SettingsOverrides { TemplatesFolder = "opt/templates" });

        Assert.Equal((project["env/dags"], project["env/home"], project["opt/templates"]), (settings.DagsFolder, settings.Home, settings.TemplatesFolder));
    }

    [Fact]
    public void AbsoluteFolders_AreKeptAsGiven()
    {
        using var project = new SettingsProject();
        using var other = new SettingsProject();
        project.WriteSettings($$"""{ "dagsFolder": {{System.Text.Json.JsonSerializer.Serialize(other["dags"])}} }""");
        project.Environment["DAGRUNNER_HOME"] = other["home"];

        var settings = project.Load(new SettingsOverrides { TemplatesFolder = other["templates"] });

        Assert.Equal((other["dags"], other["home"], other["templates"]), (settings.DagsFolder, settings.Home, settings.TemplatesFolder));
    }

    [Fact]
    public void Defaults_AreFoldersOfTheCurrentFolder()
    {
        using var project = new SettingsProject();

        var settings = project.Load();

        Assert.Equal((project["dags"], project["templates"], project[".dagrunner"]), (settings.DagsFolder, settings.TemplatesFolder, settings.Home));
        Assert.Equal((TimeSpan.FromSeconds(30), 512, 32), (settings.LoadTimeout, settings.LoadMemoryLimitMb, settings.Parallelism));
    }

    [Fact]
    public void File_NullFolder_IsNotSet()
    {
        using var project = new SettingsProject();
        project.WriteSettings("""{ "home": null }""");

        Assert.Equal(project[".dagrunner"], project.Load().Home);
    }
}
