using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating;
using DagRunner.Templating.Literals;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Templates;

/// <summary>An operator the templates code has never heard of says how it renders (its literal language,
/// its statements, its request) and is rendered, checked and previewed like the built-in ones.</summary>
public sealed class OperatorDescriptionTests : IDisposable
{
    private readonly TempFolder _templates = new("describe");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // The kind of operator that comes next (an SSH script runner, say): fields in R, statements in their own kinds.
    private sealed class RemoteScriptOperator(string taskId) : DagTask(taskId), ITemplatedOperator
    {
        [Templated]
        public string Host { get; set; } = "";

        public List<Statement> Steps { get; } = [];

        public LiteralLanguage FieldLanguage => LiteralLanguage.R;

        public IReadOnlyList<TemplatedStatement> StatementsToRender => [.. Steps.Select(s => new TemplatedStatement(s, s.Kind ?? SessionKind.PySpark))];

        public PreviewRequest? RequestPreview(RenderedTask rendered, TaskContext context) =>
            new("SSH " + rendered.Text(nameof(Host)), "script.txt", "text", string.Join('\n', rendered.Statements.Select(s => s.Code)));

        public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(null);
    }

    // An operator that says nothing about itself: Python literals, no statements, no request.
    private sealed class PlainOperator(string taskId) : DagTask(taskId)
    {
        [Templated]
        public string Host { get; set; } = "";

        public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(null);
    }

    private TaskTemplates Templates => new(new TemplateLibrary(new TemplateOptions { TemplatesFolder = _templates.Path }));

    private TaskContext Context() => new()
    {
        DagId = "d",
        TaskId = "t",
        RunId = "manual__2026-11-20T00:00:00+00:00",
        LogicalDate = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
        Params = new Dictionary<string, object?> { ["flag"] = true },
        Services = new TemplatesOnly(Templates),
    };

    [Fact]
    public void Render_NewOperatorDescribingItself_FieldsAndStatementsInItsLanguages()
    {
        _templates.Write("steps/check.sql.sbn", "SELECT {{ params.flag | lit }}\n");
        var task = new RemoteScriptOperator("t")
        {
            Host = "{{ params.flag | lit }}",
            Steps = { Statement.Inline("print({{ params.flag | lit }})"), Statement.FromTemplate("steps/check.sql.sbn", SessionKind.Sql) },
        };

        var rendered = Templates.Render(task, Context(), Token);

        Assert.Equal("TRUE", rendered.Text(nameof(RemoteScriptOperator.Host)));
        Assert.Equal(["print(True)", "SELECT true\n"], rendered.Statements.Select(s => s.Code));
        Assert.Equal([SessionKind.PySpark, SessionKind.Sql], rendered.Statements.Select(s => s.Kind));
        Assert.Equal(["01_inline.py", "02_check.sql"], rendered.Statements.Select(s => s.FileName));
    }

    [Fact]
    public void Check_NewOperatorsBrokenStatementAndMissingFile_ReportedAtLoad()
    {
        var task = new RemoteScriptOperator("t") { Steps = { Statement.Inline("print({{ dss }})"), Statement.FromFile("steps/missing.py") } };

        var problems = Templates.Check(task);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Message.Contains("t.Statements[0]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("steps/missing.py", StringComparison.Ordinal));
    }

    [Fact]
    public void Preview_NewOperator_ShowsTheRequestItDescribes()
    {
        var task = new RemoteScriptOperator("t") { Host = "edge-{{ params.flag | lit }}", Steps = { Statement.Inline("echo 1") } };

        var preview = TaskPreview.Build(task, Context(), [], Token);

        Assert.NotNull(preview.Request);
        Assert.Equal("SSH edge-TRUE", preview.Request.Title);
        Assert.Equal("echo 1", preview.Request.Body);
        Assert.Single(preview.Statements);
    }

    [Fact]
    public void Render_OperatorThatDoesNotDescribeItself_PythonLiteralsNoStatementsNoRequest()
    {
        var task = new PlainOperator("t") { Host = "{{ params.flag | lit }}" };

        var preview = TaskPreview.Build(task, Context(), [], Token);

        Assert.Equal("True", preview.Fields.Single(f => f.Name == nameof(PlainOperator.Host)).Value);
        Assert.Empty(preview.Statements);
        Assert.Null(preview.Request);
    }

    public void Dispose() => _templates.Dispose();

    private sealed class TemplatesOnly(TaskTemplates templates) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(TaskTemplates) ? templates : null;
    }
}
