using System.Runtime.Loader;

namespace DagRunner.Scripting.Tests;

/// <summary>A loader loading again runs only what changed, and lets the replaced code go, but never
/// serves a stale result (timeouts, data files behind links, code still running).</summary>
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
        fixture.Dag("factory.csx", RegionsFactory);
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

    [Fact]
    public async Task TaskOfAReplacedVersion_CanStillLoadItsLibrary()
    {
        using var fixture = new LoaderFixture();
        var library = typeof(DagRunner.Testing.TempFolder).Assembly.Location;
        var libraryFolder = Directory.CreateDirectory(Path.Combine(fixture.Options.DagsFolder, "_lib")).FullName;
        File.Copy(library, Path.Combine(libraryFolder, Path.GetFileName(library)));
        const string Script = """
            #r "_lib/DagRunner.Testing.dll"
            class UsesLib(string id) : DagTask(id)
            {
                public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(Make());
                static string Make() { using var folder = new DagRunner.Testing.TempFolder("from-task"); return "ok"; }
            }
            new Dag("lib_task").Add(new UsesLib("t"));
            """;
        fixture.Dag("lib_task.csx", Script);
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        var first = await loader.LoadAsync(Token);
        var running = first.Find("lib_task")!.Tasks.Single().Instance!;

        // A new version arrives while a run of the old one still has this task to execute.
        fixture.Dag("lib_task.csx", Script + "\n// edited");
        await loader.LoadAsync(Token);

        Assert.Equal("ok", await running.ExecuteAsync(null!, Token));
    }

    [Fact]
    public async Task TimedOutFile_IsRunAgain_OnTheNextLoad()
    {
        using var fixture = new LoaderFixture(loadTimeout: TimeSpan.FromMilliseconds(300));
        var flag = fixture.Root["slow-once.flag"];
        // Spins on its first run only: the flag file outlives the file's load context.
        fixture.Dag("slow_once.csx", $$"""
            var first = !File.Exists(@"{{flag}}");
            File.WriteAllText(@"{{flag}}", "seen");
            while (first) { }
            new Dag("slow_once");
            """);
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        var first = await loader.LoadAsync(Token);
        Assert.Contains("did not finish loading", Assert.Single(first.Errors).Message, StringComparison.Ordinal);

        var second = await loader.LoadAsync(Token);

        Assert.Empty(second.Errors);
        Assert.Equal("slow_once", second.Definitions.Single().DagId);
    }

    [Fact]
    public async Task ChangedTargetOfASymlinkedDataFile_RunsEveryFileAgain()
    {
        using var fixture = new LoaderFixture();
        var target = fixture.Root.Write("shared/regions.txt", "emea");
        File.CreateSymbolicLink(Path.Combine(fixture.Options.DagsFolder, "regions.txt"), target);
        fixture.Dag("factory.csx", RegionsFactory);
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        Assert.Equal(["sales_emea"], (await loader.LoadAsync(Token)).Definitions.Select(d => d.DagId));

        await File.WriteAllTextAsync(target, "emea\namer", Token);
        var second = await loader.LoadAsync(Token);

        Assert.Equal(["sales_amer", "sales_emea"], second.Definitions.Select(d => d.DagId));
    }

    [Fact]
    public async Task EditorBackupsAndSwapFiles_DoNotRunEveryFileAgain()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("a.csx", "new Dag(\"a\");");
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);
        await loader.LoadAsync(Token);

        fixture.Dag(".a.csx.swp", "vim");
        fixture.Dag("a.csx~", "backup");
        fixture.Dag("#a.csx#", "emacs");
        var second = await loader.LoadAsync(Token);

        Assert.False(second.Files.Single().Ran);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<(WeakReference Edited, WeakReference Deleted, WeakReference Kept)> LoadContextsAsync(DagFolderLoader loader)
    {
        var compilation = await loader.LoadAsync(Token);
        WeakReference ContextOf(string dagId) =>
            new(AssemblyLoadContext.GetLoadContext(compilation.Find(dagId)!.Tasks.Single().Instance!.GetType().Assembly));
        return (ContextOf("edited"), ContextOf("deleted"), ContextOf("kept"));
    }

    // Builds one DAG per line of regions.txt beside it: a DAG factory reading a data file.
    private const string RegionsFactory = """
        foreach (var region in File.ReadAllLines(Path.Combine(Path.GetDirectoryName(SourceFile())!, "regions.txt")))
            new Dag("sales_" + region);
        static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
        """;

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
