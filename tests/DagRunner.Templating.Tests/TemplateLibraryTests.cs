using DagRunner.Templating.Literals;
using DagRunner.Testing;

namespace DagRunner.Templating.Tests;

public sealed class TemplateLibraryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private TemplateLibrary Library() => new(new TemplateOptions { TemplatesFolder = _folder.Path });

    private static TemplateScope Scope(LiteralLanguage language = LiteralLanguage.Python, Dictionary<string, object?>? parameters = null) => TemplateScope.Create(new TemplateValues
    {
        DagId = "daily_sales",
        TaskId = "report",
        RunId = "manual__2026-11-20T00:00:00+00:00",
        LogicalDate = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
        DataIntervalStart = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
        DataIntervalEnd = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero),
        Params = parameters ?? new Dictionary<string, object?> { ["customer"] = "O'Brien \"Ltd\"", ["table"] = "sales" },
        Outputs = new Dictionary<string, object?> { ["aggregate"] = new Dictionary<string, object?> { ["app_id"] = "application_1_0001" } },
    }, language);

    [Fact]
    public void Render_FileWithLit_WritesLiteralsAndMapsLines()
    {
        _folder.Write("report/load.py.sbn", "# header\ncustomer = {{ params.customer | lit }}\nday = {{ ds | lit }}\napp = {{ outputs.aggregate.app_id | lit }}\n");
        var library = Library();

        var rendered = library.Render(library.ParseFile("report/load.py.sbn"), Scope(), TestContext.Current.CancellationToken);

        Assert.Equal("# header\ncustomer = 'O\\'Brien \"Ltd\"'\nday = '2026-11-20'\napp = 'application_1_0001'\n", rendered.Text);
        Assert.Equal(new SourceLine("report/load.py.sbn", 3), rendered.Lines.Find(3));
    }

    [Fact]
    public void Render_UndefinedMember_IsAnErrorNamingIt()
    {
        var library = Library();
        var template = library.ParseText("x {{ params.nope }}", "task.Field");

        var error = Assert.Throws<TemplateException>(() => library.Render(template, Scope(), TestContext.Current.CancellationToken));

        Assert.Equal("task.Field:1:13: `nope` is not defined here (a missing parameter, output or member?).", error.Message);
    }

    [Fact]
    public void Parse_UndefinedName_IsAnErrorAtLoad()
    {
        var error = Assert.Throws<TemplateException>(() => Library().ParseText("a\nb {{ dss }}", "t.F"));

        Assert.StartsWith("t.F:2:6: `dss` is not defined.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NamesSetByTheTemplate_AreNotUndefined()
    {
        var library = Library();
        var template = library.ParseText("{{ x = 2 }}{{ for i in 1..x }}{{ i }}{{ end }}{{ func f(a); ret a; end }}{{ f 3 }}", "t.F");

        Assert.Equal("123", library.Render(template, Scope(), TestContext.Current.CancellationToken).Text);
    }

    [Fact]
    public void Parse_SyntaxError_HasLineAndColumn()
    {
        _folder.Write("bad.sbn", "ok\n{{ if true }\n");

        var error = Assert.Throws<TemplateException>(() => Library().ParseFile("bad.sbn"));

        Assert.Equal("bad.sbn", error.Origin);
        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData("../secret.sbn")]
    [InlineData("/etc/passwd")]
    public void ParseFile_OutsideTheFolder_IsRefused(string path)
    {
        var error = Assert.Throws<TemplateException>(() => Library().ParseFile(path));

        Assert.Contains("refused", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_IncludeOutsideTheFolder_IsRefused()
    {
        _folder.Write("main.sbn", "a\n{{ include '../x.sbn' }}");
        var library = Library();

        var error = Assert.Throws<TemplateException>(() => library.Render(library.ParseFile("main.sbn"), Scope(), TestContext.Current.CancellationToken));

        Assert.Equal(("main.sbn", 2), (error.Origin, error.Line));
        Assert.Contains("'..' is refused", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Include_MapsItsLinesToTheIncludeStatement()
    {
        _folder.Write("parts/common.sbn", "one\ntwo\n");
        _folder.Write("main.sbn", "start\n{{ include 'parts/common.sbn' }}end\n");
        var library = Library();

        var rendered = library.Render(library.ParseFile("main.sbn"), Scope(), TestContext.Current.CancellationToken);

        Assert.Equal("start\none\ntwo\nend\n", rendered.Text);
        Assert.Equal(new SourceLine("main.sbn", 2), rendered.Lines.Find(3));
    }

    [Fact]
    public void Render_EndlessLoop_StopsAtTheLimit()
    {
        var library = Library();
        var template = library.ParseText("{{ while true }}x{{ end }}", "t.F");

        var error = Assert.Throws<TemplateException>(() => library.Render(template, Scope(), TestContext.Current.CancellationToken));

        Assert.Contains("limit `1000`", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TooMuchOutput_StopsAtTheLimit()
    {
        var library = new TemplateLibrary(new TemplateOptions { TemplatesFolder = _folder.Path, OutputLimit = 100 });
        var template = library.ParseText("{{ for i in 1..500 }}xx{{ end }}", "t.F");

        var error = Assert.Throws<TemplateException>(() => library.Render(template, Scope(), TestContext.Current.CancellationToken));

        Assert.Contains("exceeds 100 characters", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Cancelled_Throws()
    {
        var library = Library();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => library.Render(library.ParseText("{{ ds }}", "t.F"), Scope(), cancelled.Token));
    }

    [Fact]
    public void Render_AssignmentsDoNotLeakIntoTheNextRender()
    {
        var library = Library();
        var scope = Scope();
        library.Render(library.ParseText("{{ extra = 1 }}", "t.A"), scope, TestContext.Current.CancellationToken);

        Assert.Throws<TemplateException>(() => library.Render(library.ParseText("{{ extra }}", "t.B"), scope, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Render_PendingOutputs_RenderAsPlaceholders()
    {
        var library = Library();
        var scope = TemplateScope.Create(
            new TemplateValues
            {
                DagId = "d", TaskId = "t", RunId = "r",
                LogicalDate = DateTimeOffset.UnixEpoch, DataIntervalStart = DateTimeOffset.UnixEpoch, DataIntervalEnd = DateTimeOffset.UnixEpoch,
                PendingOutputs = ["aggregate"],
            },
            LiteralLanguage.Python);

        var rendered = library.Render(library.ParseText("{{ outputs.aggregate.app_id }} = {{ outputs.aggregate.app_id | lit }}", "t.F"), scope, TestContext.Current.CancellationToken);

        Assert.Equal("<outputs.aggregate.app_id> = '<outputs.aggregate.app_id>'", rendered.Text);
    }

    [Theory]
    [InlineData("{{ string.evil = 'leak' }}")]
    [InlineData("{{ date.format = '%Y!' }}")]
    [InlineData("{{ params.customer = 'EVIL' }}")]
    [InlineData("{{ x = params.list }}{{ x[0] = 99 }}")]
    public void Render_ChangingSharedValues_IsRefused(string text)
    {
        var library = Library();
        var scope = Scope(parameters: new() { ["customer"] = "c", ["list"] = new[] { 1, 2 } });

        Assert.Throws<TemplateException>(() => library.Render(library.ParseText(text, "t.A"), scope, TestContext.Current.CancellationToken));

        Assert.Equal("c [1, 2] %d %b %Y", library.Render(library.ParseText("{{ params.customer }} {{ params.list }} {{ date.format }}", "t.B"), scope, TestContext.Current.CancellationToken).Text);
    }

    [Fact]
    public void Parse_IncludeOfAMacroFile_IsNotAnUndefinedName()
    {
        _folder.Write("parts/macros.sbn", "{{ func quoted(v) }}{{ v | lit }}{{ end }}");
        _folder.Write("main.py.sbn", "{{ include 'parts/macros.sbn' }}x = {{ quoted ds }}\n");
        var library = Library();

        var rendered = library.Render(library.ParseFile("main.py.sbn"), Scope(), TestContext.Current.CancellationToken);

        Assert.Equal("x = '2026-11-20'\n", rendered.Text);
    }

    [Fact]
    public void Render_DateFunctionsOnContextDateTimes_Work()
    {
        var library = Library();

        var rendered = library.Render(library.ParseText("{{ logical_date | date.add_days 1 | date.to_string '%F' }} {{ data_interval_end }}", "t.F"), Scope(), TestContext.Current.CancellationToken);

        Assert.Equal("2026-11-21 2026-11-21T00:00:00+00:00", rendered.Text);
    }

    [Fact]
    public void Resolve_SymbolicLinkLeadingOutside_IsRefused()
    {
        using var outside = new TempFolder();
        outside.Write("secret.txt", "top secret");
        Directory.CreateSymbolicLink(_folder["escape"], outside.Path);
        _folder.Write("main.sbn", "{{ include 'escape/secret.txt' }}");
        var library = Library();

        var direct = Assert.Throws<TemplateException>(() => library.ReadFile("escape/secret.txt"));
        var included = Assert.Throws<TemplateException>(() => library.Render(library.ParseFile("main.sbn"), Scope(), TestContext.Current.CancellationToken));

        Assert.Contains("symbolic link", direct.Reason, StringComparison.Ordinal);
        Assert.Contains("symbolic link", included.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SymbolicLinkInsideTheFolder_IsFollowed()
    {
        _folder.Write("real/common.sbn", "ok");
        Directory.CreateSymbolicLink(_folder["alias"], _folder["real"]);
        var library = Library();

        Assert.Equal("ok", library.Render(library.ParseFile("alias/common.sbn"), Scope(), TestContext.Current.CancellationToken).Text);
    }

    [Fact]
    public void Render_ExpressionStartingALine_MapsToTheExpressionsLine()
    {
        var library = Library();
        var template = library.ParseText("{{ for x in [1, 2] }}{{ x }}\n{{ end }}c3", "t.F");

        var rendered = library.Render(template, Scope(), TestContext.Current.CancellationToken);

        Assert.Equal("1\n2\nc3", rendered.Text);
        Assert.Equal([1, 1, 2], Enumerable.Range(1, 3).Select(i => rendered.Lines.Find(i)!.Line));
    }

    [Fact]
    public void Render_MissingIndexKey_NamesIt()
    {
        var library = Library();

        var error = Assert.Throws<TemplateException>(() => library.Render(library.ParseText("{{ outputs['my-task'] }}", "t.F"), Scope(), TestContext.Current.CancellationToken));

        Assert.Contains("'my-task' is not defined in `outputs`", error.Reason, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
