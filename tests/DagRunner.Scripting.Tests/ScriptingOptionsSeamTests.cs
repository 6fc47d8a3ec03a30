using DagRunner.Testing;

namespace DagRunner.Scripting.Tests;

/// <summary>Scripting knows no operators and no templates: what DAG files see beyond the SDK, and how
/// their templates are checked, is what the host hands in through <see cref="ScriptingOptions"/>.</summary>
public sealed class ScriptingOptionsSeamTests
{
    private const string ShellDag = "var dag = new Dag(\"shell\");\ndag.Add(new ShellOperator(\"t\") { Command = \"true\" });";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LoadAsync_NoDagAssemblies_OperatorsAreNotVisible()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("shell.csx", ShellDag);
        var options = new ScriptingOptions { DagsFolder = fixture.Options.DagsFolder, TemplatesFolder = fixture.Options.TemplatesFolder };

        using var loader = new DagFolderLoader(options, TimeProvider.System);
        var result = await loader.LoadAsync(Token);

        var error = Assert.Single(result.Errors);
        Assert.Equal("CS0246", error.Code);
        Assert.Contains("ShellOperator", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Definitions);
    }

    [Fact]
    public async Task LoadAsync_TheApplicationsOptions_OperatorsAreVisibleAndImported()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("shell.csx", ShellDag);

        using var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        var result = await loader.LoadAsync(Token);

        Assert.Empty(result.Errors);
        Assert.Equal("ShellOperator", Assert.Single(Assert.Single(result.Definitions).Tasks).Operator);
    }

    [Fact]
    public async Task LoadAsync_TemplateCheckProblems_AreImportErrorsOfTheTask()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("shell.csx", ShellDag);
        var options = new ScriptingOptions { DagsFolder = fixture.Options.DagsFolder, TemplatesFolder = fixture.Options.TemplatesFolder }.AsTheApplication();
        options.TemplateCheck = task => [$"{task.TaskId} has a bad template"];

        using var loader = new DagFolderLoader(options, TimeProvider.System);
        var result = await loader.LoadAsync(Token);

        var error = Assert.Single(result.Errors);
        Assert.Equal("DAG006", error.Code);
        Assert.Equal("Task 't': t has a bad template", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task LoadAsync_TheApplicationsOptions_CheckTemplatesAtLoad()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("shell.csx", "var dag = new Dag(\"shell\");\ndag.Add(new ShellOperator(\"t\") { Command = \"echo {{ dss }}\" });");

        using var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        var result = await loader.LoadAsync(Token);

        var error = Assert.Single(result.Errors);
        Assert.Equal("DAG006", error.Code);
        Assert.StartsWith("Task 't': ", error.Message, StringComparison.Ordinal);
        Assert.Contains("dss", error.Message, StringComparison.Ordinal);
    }
}
