namespace DagRunner.Scripting.Tests;

/// <summary>A file version that ran leaves a snapshot of its definitions; a loader that reads snapshots
/// (the web UI's) takes them instead of running the file, and runs it whenever the snapshot may be stale.</summary>
public sealed class DefinitionSnapshotTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reader_TakesTheDefinitionsFromTheSnapshot_WithoutRunningTheFile()
    {
        using var fixture = new LoaderFixture();
        var runs = fixture.Root["runs.log"];
        fixture.Dag("etl.csx", CountingDag("etl", runs, "echo 1"));
        var written = await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);

        var read = await fixture.SnapshotReader().LoadAsync(Token);

        Assert.Equal(1, Runs(runs));
        Assert.False(read.Files.Single().Ran);
        var (ran, fromSnapshot) = (written.Find("etl")!, read.Find("etl")!);
        Assert.Equal(DefinitionJsonOf(ran), DefinitionJsonOf(fromSnapshot));
        Assert.NotNull(ran.Tasks.Single().Instance);
        Assert.Null(fromSnapshot.Tasks.Single().Instance);
    }

    [Fact]
    public async Task Reader_RunsAChangedFile_WhoseRunLeavesTheNextSnapshot()
    {
        using var fixture = new LoaderFixture();
        var runs = fixture.Root["runs.log"];
        fixture.Dag("etl.csx", CountingDag("etl", runs, "echo 1"));
        await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);
        var reader = fixture.SnapshotReader();
        await reader.LoadAsync(Token);

        fixture.Dag("etl.csx", CountingDag("etl", runs, "echo 2"));
        var changed = await reader.LoadAsync(Token);
        var again = await fixture.SnapshotReader().LoadAsync(Token);

        Assert.True(changed.Files.Single().Ran);
        Assert.Equal("echo 2", changed.Find("etl")!.Tasks.Single().Fields["command"].GetString());
        Assert.False(again.Files.Single().Ran);
        Assert.Equal("echo 2", again.Find("etl")!.Tasks.Single().Fields["command"].GetString());
        Assert.Equal(2, Runs(runs));
    }

    [Fact]
    public async Task Reader_RunsTheFile_WhenAFileItMayReadChanged()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("regions.txt", "emea");
        fixture.Dag("factory.csx", """
            foreach (var region in File.ReadAllLines(Path.Combine(Path.GetDirectoryName(SourceFile())!, "regions.txt")))
                new Dag("sales_" + region);
            static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
            """);
        await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);

        fixture.Dag("regions.txt", "emea\namer");
        var read = await fixture.SnapshotReader().LoadAsync(Token);

        Assert.True(read.Files.Single().Ran);
        Assert.Equal(["sales_amer", "sales_emea"], read.Definitions.Select(d => d.DagId));
    }

    [Fact]
    public async Task Reader_ChecksChangedTemplates_ByRunningTheFile()
    {
        using var fixture = new LoaderFixture();
        fixture.Template("report.py.sbn", "print({{ ds | lit }})");
        fixture.Dag("report.csx", """
            var dag = new Dag("report");
            dag.Add(new LivySessionOperator("run") { Statements = { Statement.FromTemplate("report.py.sbn") } });
            """);
        await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);
        var reader = fixture.SnapshotReader();
        Assert.False((await reader.LoadAsync(Token)).Files.Single().Ran);

        fixture.Template("report.py.sbn", "print({{ nope }})");
        var broken = await reader.LoadAsync(Token);

        Assert.True(broken.Files.Single().Ran);
        Assert.Contains("nope", Assert.Single(broken.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateChange_RecheckedWithoutRunning_LeavesTheSnapshotAReaderFinds()
    {
        using var fixture = new LoaderFixture();
        var runs = fixture.Root["runs.log"];
        fixture.Template("report.py.sbn", "print({{ ds | lit }})");
        fixture.Dag("report.csx", $$"""
            File.AppendAllText(@"{{runs}}", "ran\n");
            var dag = new Dag("report");
            dag.Add(new LivySessionOperator("run") { Statements = { Statement.FromTemplate("report.py.sbn") } });
            """);
        var scheduler = new DagFolderLoader(fixture.Options, TimeProvider.System);
        await scheduler.LoadAsync(Token);

        fixture.Template("report.py.sbn", "print({{ ds_nodash | lit }})");
        var rechecked = await scheduler.LoadAsync(Token);
        var read = await fixture.SnapshotReader().LoadAsync(Token);

        Assert.False(rechecked.Files.Single().Ran);
        Assert.False(read.Files.Single().Ran);
        Assert.Equal("report", read.Definitions.Single().DagId);
        Assert.Equal(1, Runs(runs));
    }

    [Fact]
    public async Task AVersionThatFailsWhereItOnceLoaded_RemovesItsSnapshot_SoTheReaderShowsTheError()
    {
        using var fixture = new LoaderFixture();
        var marker = fixture.Root["broken"];
        fixture.Dag("etl.csx", $$"""
            if (File.Exists(@"{{marker}}")) throw new InvalidOperationException("the warehouse is gone");
            new Dag("etl");
            """);
        await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);
        Assert.Single(Snapshots(fixture));

        // The same text, outside what the key covers (a file elsewhere, the environment), now fails.
        await File.WriteAllTextAsync(marker, "", Token);
        var failed = await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);
        var read = await fixture.SnapshotReader().LoadAsync(Token);

        Assert.Contains("the warehouse is gone", Assert.Single(failed.Errors).Message, StringComparison.Ordinal);
        Assert.Empty(Snapshots(fixture));
        Assert.True(read.Files.Single().Ran);
        Assert.Empty(read.Definitions);
        Assert.Contains("the warehouse is gone", Assert.Single(read.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshots_AreReadableByTheirOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Windows has no Unix file modes.");
            return;
        }

        using var fixture = new LoaderFixture();
        fixture.Dag("etl.csx", "new Dag(\"etl\");");
        await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);

        var mode = File.GetUnixFileMode(Assert.Single(Snapshots(fixture)));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task CorruptSnapshot_IsAMiss_AndIsWrittenAgain()
    {
        using var fixture = new LoaderFixture();
        var runs = fixture.Root["runs.log"];
        fixture.Dag("etl.csx", CountingDag("etl", runs, "echo 1"));
        await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);
        foreach (var snapshot in Snapshots(fixture))
            await File.WriteAllTextAsync(snapshot, "{ \"format\": \"dagrunner-definitions-v1\", \"dags\": [ { \"dagId\": ", Token);

        var read = await fixture.SnapshotReader().LoadAsync(Token);
        var again = await fixture.SnapshotReader().LoadAsync(Token);

        Assert.True(read.Files.Single().Ran);
        Assert.Equal("etl", read.Definitions.Single().DagId);
        Assert.False(again.Files.Single().Ran);
        Assert.Equal(2, Runs(runs));
    }

    [Fact]
    public async Task FileWithAnImportError_LeavesNoSnapshot_AndTheReaderReportsItsError()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("throws.csx", "new Dag(\"t\");\nthrow new InvalidOperationException(\"boom\");");
        await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);

        var read = await fixture.SnapshotReader().LoadAsync(Token);

        Assert.Empty(Snapshots(fixture));
        Assert.True(read.Files.Single().Ran);
        Assert.Contains("boom", Assert.Single(read.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadFileAsync_RunsTheFile_ForTheTaskObjectsASnapshotLacks()
    {
        using var fixture = new LoaderFixture();
        var runs = fixture.Root["runs.log"];
        var file = fixture.Dag("etl.csx", CountingDag("etl", runs, "echo 1"));
        await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);
        var reader = fixture.SnapshotReader();
        var read = await reader.LoadAsync(Token);

        var ran = await reader.LoadFileAsync(file, Token);
        var remembered = await reader.LoadAsync(Token);

        Assert.Null(read.Find("etl")!.Tasks.Single().Instance);
        Assert.NotNull(ran.Find("etl")!.Tasks.Single().Instance);
        Assert.Equal(2, Runs(runs));
        // The folder's load is as it was: the file did not run again, its definitions still come from the snapshot.
        Assert.False(remembered.Files.Single().Ran);
        Assert.Null(remembered.Find("etl")!.Tasks.Single().Instance);
    }

    [Fact]
    public async Task WithoutACacheFolder_NothingIsKept_AndTheReaderRunsEveryFile()
    {
        using var fixture = new LoaderFixture(cache: false);
        fixture.Dag("etl.csx", CountingDag("etl", fixture.Root["runs.log"], "echo 1"));
        await new DagFolderLoader(fixture.Options, TimeProvider.System).LoadAsync(Token);

        var read = await fixture.SnapshotReader().LoadAsync(Token);

        Assert.True(read.Files.Single().Ran);
        Assert.Equal("etl", read.Definitions.Single().DagId);
    }

    // Each run of the file's code appends a line to a log outside the DAGs folder (inside it, the log
    // would be a data file whose change runs every file again).
    private static string CountingDag(string id, string log, string command) => $$"""
        File.AppendAllText(@"{{log}}", "ran\n");
        var dag = new Dag("{{id}}") { Description = "counted", Tags = { "team", "etl" } };
        dag.Add(new ShellOperator("t") { Command = "{{command}}", Retries = 2 });
        """;

    private static int Runs(string log) => File.Exists(log) ? File.ReadAllLines(log).Length : 0;

    private static string DefinitionJsonOf(DagRunner.Engine.Definitions.DagDefinition dag) =>
        DagRunner.Engine.Definitions.DefinitionJson.Serialize(dag);

    private static string[] Snapshots(LoaderFixture fixture)
    {
        var folder = Path.Combine(fixture.Options.CacheFolder!, "definitions");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json") : [];
    }
}
