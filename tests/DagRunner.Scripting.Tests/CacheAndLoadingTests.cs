using System.Runtime.Loader;
using DagRunner.Engine.Definitions;

namespace DagRunner.Scripting.Tests;

public sealed class CacheAndLoadingTests
{
    private const string Simple = """
        var dag = new Dag("simple") { Schedule = "@hourly" };
        dag.Add(new CSharpOperator("t", ctx => 1));
        """;

    [Fact]
    public async Task LoadAsync_SecondLoad_ComesFromTheCacheWithTheSameDefinitions()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("simple.csx", Simple);

        var first = await fixture.LoadAsync();
        var second = await fixture.LoadAsync();

        Assert.False(first.Files.Single().FromCache);
        Assert.True(second.Files.Single().FromCache);
        Assert.Equal(DefinitionJson.Serialize(first.Definitions.Single()), DefinitionJson.Serialize(second.Definitions.Single()));
    }

    [Fact]
    public async Task PrecompileAsync_FillsTheCacheOnce()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("simple.csx", Simple);
        fixture.Dag("broken.csx", "var x = ;");
        var loader = new DagFolderLoader(fixture.Options, TimeProvider.System);

        var first = await loader.PrecompileAsync(TestContext.Current.CancellationToken);
        var second = await loader.PrecompileAsync(TestContext.Current.CancellationToken);
        var load = await fixture.LoadAsync();

        Assert.Equal(2, first);
        Assert.Equal(0, second);
        Assert.All(load.Files, f => Assert.True(f.FromCache));
    }

    [Fact]
    public async Task LoadAsync_ChangedLoadedHelper_Recompiles()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("_names.csx", "static string DagName() => \"before\";");
        fixture.Dag("uses.csx", "#load \"_names.csx\"\nnew Dag(DagName());");
        Assert.Equal("before", (await fixture.LoadAsync()).Definitions.Single().DagId);

        fixture.Dag("_names.csx", "static string DagName() => \"after\";");
        var second = await fixture.LoadAsync();

        Assert.False(second.Files.Single().FromCache);
        Assert.Equal("after", second.Definitions.Single().DagId);
    }

    [Fact]
    public async Task LoadAsync_CachedCompileErrors_AreReportedWithoutRecompiling()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("broken.csx", "var x = ;");
        var first = await fixture.LoadAsync();

        var second = await fixture.LoadAsync();

        Assert.True(second.Files.Single().FromCache);
        Assert.Equal(first.Errors.Single(), second.Errors.Single());
    }

    [Fact]
    public async Task LoadAsync_CorruptCacheEntry_IsAMissNotAnError()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("simple.csx", Simple);
        await fixture.LoadAsync();
        foreach (var file in Directory.EnumerateFiles(fixture.Options.CacheFolder!))
        {
            File.WriteAllText(file, "{ not what you think");
        }

        var result = await fixture.LoadAsync();

        Assert.Empty(result.Errors);
        Assert.False(result.Files.Single().FromCache);
    }

    [Fact]
    public async Task LoadAsync_EachFileLivesInACollectibleLoadContext()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("simple.csx", Simple);

        var task = (await fixture.LoadAsync()).Definitions.Single().Tasks.Single();
        var operatorType = task.Instance!.GetType();
        var context = AssemblyLoadContext.GetLoadContext(operatorType.Assembly);

        // The operator is the host's own type; the script's code lives in a collectible context.
        Assert.Same(AssemblyLoadContext.Default, context);
        var scriptAssembly = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "DagRunner.Script");
        Assert.Contains(scriptAssembly, a => AssemblyLoadContext.GetLoadContext(a)!.IsCollectible);
    }

    [Fact]
    public async Task LoadAsync_Definition_CarriesOperatorFieldsAndResolvedSettings()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("fields.csx", """
            var dag = new Dag("fields") { Defaults = { Retries = 2, Pool = "yarn" }, Params = { ["table"] = "sales", ["n"] = 3 } };
            var batch = dag.Add(new LivyBatchOperator("batch")
            {
                File = "local:///jobs/a.py",
                Args = { "--date", "{{ ds }}" },
                VerifyIn = VerifyIn.Yarn | VerifyIn.Spark,
                Retries = 5,
            });
            var sensor = dag.Add(new WebHdfsSensor("wait") { Path = "/x", PokeInterval = TimeSpan.FromSeconds(5) });
            sensor >> batch;
            """);

        var dag = (await fixture.LoadAsync()).Definitions.Single();
        var json = DefinitionJson.Serialize(DefinitionJson.Deserialize(DefinitionJson.Serialize(dag)));

        var batch = dag.FindTask("batch")!;
        Assert.Equal(5, batch.Policy.Retries);
        Assert.Equal("yarn", batch.Policy.Pool);
        Assert.Equal("local:///jobs/a.py", batch.Fields["file"].GetString());
        Assert.Equal("Yarn, Spark", batch.Fields["verifyIn"].GetString());
        Assert.Equal("00:00:05", dag.FindTask("wait")!.Fields["pokeInterval"].GetString());
        Assert.Equal(["wait", "batch"], dag.Tasks.Select(t => t.TaskId));
        Assert.Equal(DefinitionJson.Serialize(dag), json);
        Assert.Equal(3, dag.Params["n"].GetInt32());
    }

    [Fact]
    public async Task LoadAsync_ReferenceRelativeToTheFile_IsUsable()
    {
        using var fixture = new LoaderFixture();
        var library = typeof(DagRunner.Testing.TempFolder).Assembly.Location;
        var libraryFolder = Directory.CreateDirectory(Path.Combine(fixture.Options.DagsFolder, "_lib")).FullName;
        File.Copy(library, Path.Combine(libraryFolder, Path.GetFileName(library)));
        fixture.Dag("uses_lib.csx", """
            #r "_lib/DagRunner.Testing.dll"
            var folder = new DagRunner.Testing.TempFolder("from-script");
            new Dag(Directory.Exists(folder.Path) ? "lib_works" : "lib_broken");
            folder.Dispose();
            """);

        var result = await fixture.LoadAsync();

        Assert.Empty(result.Errors.Select(e => e.Message));
        Assert.Equal("lib_works", result.Definitions.Single().DagId);
    }

    [Fact]
    public async Task LoadAsync_ScriptBlockedOutsideScriptCode_IsAbandonedWithAClearError()
    {
        using var fixture = new LoaderFixture(loadTimeout: TimeSpan.FromMilliseconds(200));
        fixture.Dag("blocked.csx", """
            new Dag("blocked");
            new ManualResetEventSlim(false).Wait();
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Contains("blocked outside script code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_SeveralDagsInOneFile_AreAllDiscovered()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("many.csx", """
            foreach (var region in new[] { "emea", "amer" })
            {
                var dag = new Dag($"sales_{region}");
                dag.Add(new ShellOperator("run") { Command = $"echo {region}" });
            }
            """);

        var result = await fixture.LoadAsync();

        Assert.Equal(["sales_amer", "sales_emea"], result.Definitions.Select(d => d.DagId));
    }

    [Fact]
    public async Task Lambdas_KeepTheirMeaningAfterTheGuardRewrite()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("lambdas.csx", """
            using System.Linq.Expressions;
            static int Twice(int n) => n * 2;
            Expression<Func<int, int>> tree = x => Math.Abs(x);
            Func<int, int> twice = n => Twice(n);
            var dag = new Dag($"lambdas_{tree.Compile()(-3)}_{twice(4)}");
            dag.Add(new CSharpOperator("log", ctx => ctx.Log.WriteLine("x")));
            dag.Add(new CSharpOperator("value", ctx => Twice(21)));
            var nested = new[] { 1 }.AsQueryable().Where(x => new[] { x }.Any(y => y.Equals(x))).Count();
            async System.Threading.Tasks.Task<int> Later() => await Task.FromResult(Twice(1));
            class Counter { public int V; public void operator +=(int x) => V += Math.Abs(x); public void operator ++() => V = Math.Abs(V + 1); }
            """);

        var result = await fixture.LoadAsync();

        Assert.Empty(result.Errors.Select(e => e.Message));
        var dag = result.Definitions.Single();
        Assert.Equal("lambdas_3_8", dag.DagId);
        var context = new DagRunner.Sdk.TaskContext { DagId = "d", TaskId = "value", RunId = "r", LogicalDate = DateTimeOffset.UnixEpoch };
        Assert.Equal(42, await dag.FindTask("value")!.Instance!.ExecuteAsync(context, TestContext.Current.CancellationToken));
        Assert.Null(await dag.FindTask("log")!.Instance!.ExecuteAsync(context, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task LoadAsync_DagCreatedInALoadedHelper_PointsIntoTheHelper()
    {
        using var fixture = new LoaderFixture();
        var helper = fixture.Dag("_factory.csx", "static Dag Make(string id) => new Dag(id);");
        fixture.Dag("made.csx", "#load \"_factory.csx\"\nMake(\"made\");");

        var dag = (await fixture.LoadAsync()).Definitions.Single();

        Assert.Equal(helper, dag.SourceFile);
        Assert.Equal(1, dag.Line);
    }
}
