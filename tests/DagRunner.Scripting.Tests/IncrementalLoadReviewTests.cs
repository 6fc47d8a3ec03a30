namespace DagRunner.Scripting.Tests;

/// <summary>What a review of incremental loading found: each a case where reusing a file's last load was wrong.</summary>
public sealed class IncrementalLoadReviewTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

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
        var flag = "slow-once-" + Guid.NewGuid().ToString("N");
        // Spins on its first run only: AppDomain data outlives the file's load context.
        fixture.Dag("slow_once.csx", $$"""
            var first = AppDomain.CurrentDomain.GetData("{{flag}}") is null;
            AppDomain.CurrentDomain.SetData("{{flag}}", "seen");
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
        fixture.Dag("factory.csx", """
            foreach (var region in File.ReadAllLines(Path.Combine(Path.GetDirectoryName(SourceFile())!, "regions.txt")))
                new Dag("sales_" + region);
            static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
            """);
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
}
