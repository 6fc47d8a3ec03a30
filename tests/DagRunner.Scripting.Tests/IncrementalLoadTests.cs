using System.Runtime.Loader;

namespace DagRunner.Scripting.Tests;

/// <summary>A loader loading again runs only what changed, and lets the replaced code go.</summary>
public sealed class IncrementalLoadTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LoadingAgain_RunsOnlyTheChangedFile_AndKeepsTheOthersDefinitions()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("a.csx", Dag("a", "echo 1"));
        fixture.Dag("b.csx", Dag("b", "echo 1"));
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        var first = await loader.LoadAsync(Token);

        fixture.Dag("b.csx", Dag("b", "echo 2"));
        var second = await loader.LoadAsync(Token);

        Assert.All(first.Files, f => Assert.True(f.Ran));
        Assert.Equal([false, true], second.Files.Select(f => f.Ran));
        Assert.Same(first.Find("a"), second.Find("a"));
        Assert.Equal("echo 2", second.Find("b")!.Tasks.Single().Fields["command"].GetString());
    }

    [Fact]
    public async Task ChangedHelper_RunsTheFilesThatLoadIt_Only()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("_names.csx", "static string Suffix() => \"v1\";");
        fixture.Dag("uses.csx", "#load \"_names.csx\"\nnew Dag(\"uses_\" + Suffix());");
        fixture.Dag("other.csx", Dag("other", "echo"));
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        await loader.LoadAsync(Token);

        fixture.Dag("_names.csx", "static string Suffix() => \"v2\";");
        var second = await loader.LoadAsync(Token);

        Assert.Equal(["other", "uses_v2"], second.Definitions.Select(d => d.DagId));
        Assert.False(second.Files.Single(f => f.File.EndsWith("other.csx", StringComparison.Ordinal)).Ran);
        Assert.True(second.Files.Single(f => f.File.EndsWith("uses.csx", StringComparison.Ordinal)).Ran);
    }

    [Fact]
    public async Task ChangedTemplate_IsCheckedAgain_WithoutRunningTheFile()
    {
        using var fixture = new LoaderFixture();
        fixture.Template("report.py.sbn", "print({{ ds | lit }})");
        fixture.Dag("report.csx", """
            var dag = new Dag("report");
            dag.Add(new LivySessionOperator("run") { Statements = { Statement.FromTemplate("report.py.sbn") } });
            """);
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        Assert.Empty((await loader.LoadAsync(Token)).Errors);

        fixture.Template("report.py.sbn", "print({{ nope }})");
        var broken = await loader.LoadAsync(Token);
        fixture.Template("report.py.sbn", "print({{ ds_nodash | lit }})");
        var fixedAgain = await loader.LoadAsync(Token);

        var error = Assert.Single(broken.Errors);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
        Assert.False(broken.Files.Single().Ran);
        Assert.Empty(fixedAgain.Errors);
        Assert.False(fixedAgain.Files.Single().Ran);
        Assert.Equal("report", fixedAgain.Definitions.Single().DagId);
    }

    [Fact]
    public async Task ChangedDataFile_RunsEveryFileAgain()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("regions.txt", "emea");
        fixture.Dag("factory.csx", """
            foreach (var region in File.ReadAllLines(Path.Combine(Path.GetDirectoryName(SourceFile())!, "regions.txt")))
                new Dag("sales_" + region);
            static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
            """);
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        Assert.Equal(["sales_emea"], (await loader.LoadAsync(Token)).Definitions.Select(d => d.DagId));

        fixture.Dag("regions.txt", "emea\namer");
        var second = await loader.LoadAsync(Token);

        Assert.Equal(["sales_amer", "sales_emea"], second.Definitions.Select(d => d.DagId));
        Assert.True(second.Files.Single().Ran);
    }

    [Fact]
    public async Task UnchangedBrokenFile_KeepsItsErrors_AndIsNotRunAgain()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("throws.csx", "new Dag(\"t\");\nthrow new InvalidOperationException(\"boom\");");
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        var first = await loader.LoadAsync(Token);

        var second = await loader.LoadAsync(Token);

        Assert.Equal(first.Errors, second.Errors);
        Assert.False(second.Files.Single().Ran);
    }

    [Fact]
    public async Task ReplacedAndDeletedVersions_AreUnloaded_ThoseKeptAreNot()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("edited.csx", OwnOperatorDag("edited", "v1"));
        fixture.Dag("deleted.csx", OwnOperatorDag("deleted", "v1"));
        fixture.Dag("kept.csx", OwnOperatorDag("kept", "v1"));
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        var (edited, deleted, kept) = await LoadContextsAsync(loader);

        fixture.Dag("edited.csx", OwnOperatorDag("edited", "v2"));
        File.Delete(Path.Combine(fixture.Options.DagsFolder, "deleted.csx"));
        var second = await loader.LoadAsync(Token);

        // The runtime finishes an unload on its own schedule (tiered compilation keeps methods it
        // queued for about 100 ms), so collect for up to a few seconds before judging.
        for (var i = 0; i < 150 && (edited.IsAlive || deleted.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(20, Token);
        }

        Assert.False(edited.IsAlive, "the edited file's old version was still loaded");
        Assert.False(deleted.IsAlive, "the deleted file's code was still loaded");
        Assert.True(kept.IsAlive, "the unchanged file's code was unloaded while its DAG is still in use");
        Assert.Equal("v1", second.Find("kept")!.Tasks.Single().Fields["greeting"].GetString());
        Assert.Equal("v2", second.Find("edited")!.Tasks.Single().Fields["greeting"].GetString());
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<(WeakReference Edited, WeakReference Deleted, WeakReference Kept)> LoadContextsAsync(DagFolderLoader loader)
    {
        var compilation = await loader.LoadAsync(Token);
        WeakReference ContextOf(string dagId) =>
            new(AssemblyLoadContext.GetLoadContext(compilation.Find(dagId)!.Tasks.Single().Instance!.GetType().Assembly));
        return (ContextOf("edited"), ContextOf("deleted"), ContextOf("kept"));
    }

    private static string Dag(string id, string command) =>
        $"var dag = new Dag(\"{id}\");\ndag.Add(new ShellOperator(\"t\") {{ Command = \"{command}\" }});";

    private static string OwnOperatorDag(string id, string greeting) => $$"""
        class Greeter(string id) : DagTask(id)
        {
            public string Greeting { get; set; } = "hello";
            public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(Greeting);
        }
        new Dag("{{id}}").Add(new Greeter("greet") { Greeting = "{{greeting}}" });
        """;
}
