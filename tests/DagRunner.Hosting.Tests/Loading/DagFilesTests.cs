using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Loading;
using DagRunner.Scripting;
using DagRunner.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Hosting.Tests.Loading;

/// <summary>The application hands Scripting what DAG files see and the template checker; loaders that
/// tests build without the application (<see cref="DagFileOptions"/>) must be given the same.</summary>
public sealed class DagFilesTests
{
    [Fact]
    public void DagFiles_TheTestHelper_GivesLoadersTheSameAssembliesAndImports()
    {
        Assert.Equal(DagFiles.Assemblies, DagFileOptions.Assemblies);
        Assert.Equal(DagFiles.Imports, DagFileOptions.Imports);
    }

    [Fact]
    public async Task AddDagRunner_Loader_SeesTheOperatorsAndChecksTemplates()
    {
        using var root = new TempFolder();
        root.Write("dags/good.csx", "var dag = new Dag(\"good\");\ndag.Add(new ShellOperator(\"t\") { Command = \"echo {{ ds }}\" });");
        root.Write("dags/bad.csx", "var dag = new Dag(\"bad\");\ndag.Add(new ShellOperator(\"t\") { Command = \"echo {{ dss }}\" });");
        Directory.CreateDirectory(root["templates"]);
        var settings = new DagRunnerSettings { DagsFolder = root["dags"], TemplatesFolder = root["templates"], Home = root["home"] };
        using var services = new ServiceCollection().AddLogging().AddDagRunner(settings, _ => null).BuildServiceProvider();

        var options = services.GetRequiredService<ScriptingOptions>();
        var result = await services.GetRequiredService<DagFolderLoader>().LoadAsync(TestContext.Current.CancellationToken);

        Assert.Equal(DagFiles.Assemblies, options.DagAssemblies);
        Assert.Equal("good", Assert.Single(result.Definitions).DagId);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("DAG006", root["dags/bad.csx"]), (error.Code, error.File));
    }
}
