namespace DagRunner.Scripting.Tests;

public sealed class ImportErrorTests
{
    private const string Good = """
        var dag = new Dag("good") { Schedule = "@daily" };
        dag.Add(new ShellOperator("only") { Command = "true" });
        """;

    [Fact]
    public async Task LoadAsync_SyntaxError_ReportsFileLineColumnAndSourceLine()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("good.csx", Good);
        var file = fixture.Dag("broken.csx", """
            var dag = new Dag("broken");
            var x = dag.Add(new ShellOperator("x") { Command = "true" })
            """);

        var result = await fixture.LoadAsync();

        var error = Assert.Single(result.Errors);
        Assert.Equal(file, error.File);
        Assert.Equal("CS1002", error.Code);
        Assert.Equal(2, error.Line);
        Assert.Contains("ShellOperator(\"x\")", error.SourceText, StringComparison.Ordinal);
        Assert.Equal(error.SourceText!.Length + 1, error.Column);
        Assert.Equal(["good"], result.Definitions.Select(d => d.DagId));
    }

    [Fact]
    public async Task LoadAsync_TypeErrorOnGuardedLine_ReportsAuthorsColumn()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("typed.csx", """
            var dag = new Dag("typed");
            for (var i = 0; i < 3; i++) { int n = "text"; }
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Equal("CS0029", error.Code);
        Assert.Equal(2, error.Line);
        Assert.Equal(39, error.Column);
    }

    [Fact]
    public async Task LoadAsync_Cycle_PrintsThePath()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("cycle.csx", """
            var dag = new Dag("cycle");
            var a = dag.Add(new ShellOperator("a") { Command = "true" });
            var b = dag.Add(new ShellOperator("b") { Command = "true" });
            var c = dag.Add(new ShellOperator("c") { Command = "true" });
            a >> b >> c >> a;
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Contains("has a cycle: a -> b -> c -> a", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task LoadAsync_DuplicateTaskId_ReportsTheLineOfTheSecondAdd()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("dup.csx", """
            var dag = new Dag("dup");
            dag.Add(new ShellOperator("same") { Command = "true" });
            dag.Add(new ShellOperator("same") { Command = "true" });
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Equal(3, error.Line);
        Assert.Contains("already has a task with id 'same'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DuplicateDagIdAcrossFiles_ErrorGoesToTheSecondFile()
    {
        using var fixture = new LoaderFixture();
        var first = fixture.Dag("a.csx", "new Dag(\"shared\");");
        var second = fixture.Dag("b.csx", "\nnew Dag(\"shared\");");

        var result = await fixture.LoadAsync();

        var error = Assert.Single(result.Errors);
        Assert.Equal(second, error.File);
        Assert.Equal(2, error.Line);
        Assert.Contains($"already defined in {Path.Combine("dags", "a.csx")}:1", error.Message, StringComparison.Ordinal);
        Assert.Equal(first, Assert.Single(result.Definitions).File);
    }

    [Fact]
    public async Task LoadAsync_ScriptThrows_ReportsExceptionAndScriptLine()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("throws.csx", """
            var dag = new Dag("throws");
            string Fail() => throw new InvalidOperationException("config missing");
            var value = Fail();
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Equal("InvalidOperationException: config missing", error.Message);
        Assert.Equal(2, error.Line);
        Assert.Equal(18, error.Column);
        Assert.Contains("throw new InvalidOperationException", error.SourceText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ScriptThrowsTimeoutException_IsThatExceptionNotALoadTimeout()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("timeout.csx", """
            var dag = new Dag("timeout");
            throw new TimeoutException("the database did not answer");
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Equal("TimeoutException: the database did not answer", error.Message);
        Assert.Equal(2, error.Line);
        Assert.Equal(1, error.Column);
    }

    [Theory]
    [InlineData("lambda", "Func<int, int> f = null;\nf = n => f(n + 1) + 1;\nf(0);")]
    [InlineData("invoke", "Func<int, int> f = null;\nf = n => f.Invoke(n + 1) + 1;\nf(0);")]
    [InlineData("mutual", "Func<int, int> g = null;\nFunc<int, int> f = n => g(n) + 1;\ng = n => f(n) + 1;\nf(0);")]
    [InlineData("property", "int Depth => Depth + 1;\nvar depth = Depth;")]
    [InlineData("getter", "int Depth { get => Depth + 1; }\nvar depth = Depth;")]
    [InlineData("indexer", "class Deep { public int this[int i] => this[i + 1]; }\nvar deep = new Deep()[0];")]
    [InlineData("operator", "record struct R(int V) { public static R operator +(R a, R b) => a + b; }\nvar r = new R(1) + new R(2);")]
    [InlineData("conversion", "record struct R(int V) { public static implicit operator int(R r) => r; }\nint i = new R(1);")]
    [InlineData("method", "int Down(int n) => Down(n + 1);\nDown(0);")]
    public async Task LoadAsync_RunawayRecursion_IsAnImportErrorNotACrash(string form, string code)
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("good.csx", Good);
        fixture.Dag($"{form}.csx", "new Dag(\"deep\");\n" + code);

        var result = await fixture.LoadAsync();

        var error = Assert.Single(result.Errors);
        Assert.Contains("InsufficientExecutionStackException", error.Message, StringComparison.Ordinal);
        Assert.Equal(["good"], result.Definitions.Select(d => d.DagId));
    }

    [Fact]
    public async Task LoadAsync_InvalidId_ReportsTheConstructorLine()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("ids.csx", """
            var dag = new Dag("ok");
            dag.Add(new ShellOperator("bad id!") { Command = "true" });
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Equal(2, error.Line);
        Assert.Contains("Invalid task id 'bad id!'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_InvalidCron_ReportsTheDagLine()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("cron.csx", """
            // a comment
            var dag = new Dag("cron") { Schedule = "61 * * * *" };
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Equal(2, error.Line);
        Assert.Contains("Invalid schedule '61 * * * *'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_UnknownLoad_ReportsTheDirective()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("load.csx", """
            #load "_missing.csx"
            var dag = new Dag("load");
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Equal(1, error.Line);
        Assert.Contains("_missing.csx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_InfiniteLoop_IsStoppedAtTheTimeoutWithTheLoopLine()
    {
        // Long enough for the good file beside it to load on a busy CI machine.
        using var fixture = new LoaderFixture(loadTimeout: TimeSpan.FromSeconds(1.5));
        fixture.Dag("good.csx", Good);
        fixture.Dag("spin.csx", """
            var dag = new Dag("spin");
            while (true) { }
            """);

        var result = await fixture.LoadAsync();

        // The line comes from the exception the guard threw inside the loop: the script's code has
        // ended, so no thread is left spinning on a core after the timeout.
        var error = Assert.Single(result.Errors);
        Assert.Contains("did not finish loading within", error.Message, StringComparison.Ordinal);
        Assert.Contains("while running this line", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
        Assert.InRange(error.Column, 1, error.SourceText!.Length);
        Assert.Equal(["good"], result.Definitions.Select(d => d.DagId));
    }

    [Fact]
    public async Task LoadAsync_TaskNotAddedToDag_IsReported()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("orphan.csx", """
            var dag = new Dag("orphan");
            var a = dag.Add(new ShellOperator("a") { Command = "true" });
            var b = new ShellOperator("b") { Command = "true" };
            a >> b;
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Contains("'b', which was never added to a DAG", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MissingStatementTemplate_IsReported()
    {
        using var fixture = new LoaderFixture();
        fixture.Template("present.py.sbn", "print(1)");
        fixture.Dag("stmts.csx", """
            var dag = new Dag("stmts");
            dag.Add(new LivySessionOperator("s")
            {
                Statements = { Statement.FromTemplate("present.py.sbn"), Statement.FromFile("absent.py") },
            });
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Contains("absent.py: does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task LoadAsync_ErrorInLoadedHelper_PointsIntoTheHelper()
    {
        using var fixture = new LoaderFixture();
        var helper = fixture.Dag("_helpers.csx", """
            static string Name() => 42;
            """);
        var file = fixture.Dag("uses.csx", """
            #load "_helpers.csx"
            var dag = new Dag(Name());
            """);

        var error = Assert.Single((await fixture.LoadAsync()).Errors);

        Assert.Equal(file, error.File);
        Assert.Equal(helper, error.SourceFile);
        Assert.Equal(1, error.Line);
    }
}
