using System.Text.Json;
using DagRunner.Sdk;
using DagRunner.Templating;
using DagRunner.Templating.Literals;

namespace DagRunner.Operators.Templates;

/// <summary>
/// Renders a task's templated fields and statements for one attempt, against the attempt's context
/// (<c>ds</c>, <c>params</c>, <c>outputs</c>, ...), and checks them when the DAG loads. The host offers
/// one through the task context's services; without one, templates resolve in <c>./templates</c>. What
/// to render beyond the [Templated] fields, and in which language, each operator says itself
/// (<see cref="ITemplatedOperator"/>).
/// </summary>
public sealed class TaskTemplates(TemplateLibrary library)
{
    private static readonly Lazy<TaskTemplates> Default = new(() => new TaskTemplates(new TemplateLibrary(new TemplateOptions())));

    /// <summary>The parsed templates and the templates folder.</summary>
    public TemplateLibrary Library { get; } = library;

    /// <summary>The host's instance, or one over <c>./templates</c>.</summary>
    public static TaskTemplates For(TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Services?.GetService(typeof(TaskTemplates)) as TaskTemplates ?? Default.Value;
    }

    /// <summary>The variables of an attempt, as templates see them.</summary>
    public static TemplateValues ValuesOf(TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TemplateValues
        {
            DagId = context.DagId,
            TaskId = context.TaskId,
            RunId = context.RunId,
            LogicalDate = context.LogicalDate,
            DataIntervalStart = context.DataIntervalStart,
            DataIntervalEnd = context.DataIntervalEnd,
            TryNumber = context.TryNumber,
            Params = context.Params,
            Conf = context.Conf,
            Outputs = context.Outputs,
        };
    }

    /// <summary>The language <c>lit</c> writes for a session kind.</summary>
    public static LiteralLanguage LanguageOf(SessionKind kind) => kind switch
    {
        SessionKind.Spark => LiteralLanguage.Scala,
        SessionKind.SparkR => LiteralLanguage.R,
        SessionKind.Sql => LiteralLanguage.SparkSql,
        _ => LiteralLanguage.Python,
    };

    /// <summary>Renders every templated field and statement of <paramref name="task"/>. A preview names the
    /// upstream tasks that have not run in <paramref name="pendingOutputs"/>: their outputs render as placeholders.</summary>
    /// <exception cref="TaskFailedException">A template failed; the message says which, where, and why.</exception>
    public RenderedTask Render(DagTask task, TaskContext context, CancellationToken cancellationToken, IReadOnlyCollection<string>? pendingOutputs = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var description = DescriptionOf(task);
        var scope = TemplateScope.Create(ValuesOf(context) with { PendingOutputs = pendingOutputs ?? [] }, description.FieldLanguage);
        try
        {
            var fields = TemplatedFields.Read(task).Select(f => new RenderedField(f.Name, RenderField(task, f.Name, f.Value, scope, cancellationToken))).ToList();
            var toRender = description.StatementsToRender;
            var statements = new List<RenderedStatement>(toRender.Count);
            for (var i = 0; i < toRender.Count; i++)
                statements.Add(RenderStatement(task, toRender[i], i, scope, context.Params, cancellationToken));

            var rendered = new RenderedTask(fields, statements);
            context.OnRendered?.Invoke(SecretMask.From(context.Params, context.Conf).Apply(JsonSerializer.Serialize(new
            {
                fields = fields.ToDictionary(f => f.Name, f => Shown(f.Value), StringComparer.Ordinal),
                statements = statements.Select(s => new { number = s.Number, origin = s.Origin, kind = s.Kind.ToString(), code = s.Code }),
            })));
            return rendered;
        }
        catch (Exception e) when (e is TemplateException or LiteralException)
        {
            throw new TaskFailedException($"{Where(task)}: {e.Message}", e);
        }
    }

    /// <summary>Renders a template file of the templates folder as a document in <paramref name="language"/> (what
    /// <c>lit</c> writes), against the attempt's context: one of the task's <see cref="ITemplatedOperator.TemplateFiles"/>.</summary>
    /// <exception cref="TaskFailedException">The template failed; the message says which, where, and why.</exception>
    public string RenderFile(DagTask task, string path, TaskContext context, LiteralLanguage language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var scope = TemplateScope.Create(ValuesOf(context), language);
        try
        {
            return Library.Render(Library.ParseFile(path), scope, cancellationToken).Text;
        }
        catch (Exception e) when (e is TemplateException or LiteralException)
        {
            throw new TaskFailedException($"{Where(task)}: {e.Message}", e);
        }
    }

    /// <summary>Parses every template of <paramref name="task"/> (fields, template files, template and inline statements)
    /// and checks that statement files exist: the problems a DAG file's load should report.</summary>
    public IReadOnlyList<TemplateException> Check(DagTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var problems = new List<TemplateException>();
        void Try(Action parse)
        {
            try
            {
                parse();
            }
            catch (TemplateException e)
            {
                problems.Add(e);
            }
        }

        foreach (var (name, value) in TemplatedFields.Read(task))
        {
            foreach (var (where, text) in TemplatedFields.Strings(name, value))
                Try(() => Library.ParseText(text, Origin(task, where)));
        }

        foreach (var file in DescriptionOf(task).TemplateFiles)
            Try(() => Library.ParseFile(file));

        var statements = DescriptionOf(task).StatementsToRender;
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i].Statement;
            var index = i;
            Try(() =>
            {
                switch (statement.Source)
                {
                    case StatementSource.Template:
                        Library.ParseFile(statement.Text);
                        break;
                    case StatementSource.File:
                        Library.ReadFile(statement.Text);
                        break;
                    default:
                        Library.ParseText(statement.Text, Origin(task, $"Statements[{index}]"));
                        break;
                }
            });
        }

        return problems;
    }

    private object? RenderField(DagTask task, string name, object? value, TemplateScope scope, CancellationToken cancellationToken)
    {
        string Render(string where, string text) => Library.Render(Library.ParseText(text, Origin(task, where)), scope, cancellationToken).Text;
        switch (value)
        {
            case null:
                return null;
            case string text:
                return Render(name, text);
            case IDictionary<string, string> map:
                var rendered = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, text) in map)
                    rendered[key] = Render($"{name}[{key}]", text);
                return rendered;
            case IEnumerable<string> items:
                return items.Select((text, i) => Render($"{name}[{i}]", text)).ToList();
            case System.Collections.IEnumerable parts:
                // A list of parts (an EMR task's steps): each rendered on its own, field by field.
                return parts.Cast<object?>().Select((part, i) => new RenderedTask(
                    [.. TemplatedFields.ReadPart(part ?? throw new TaskFailedException($"{Where(task)}: {name}[{i}] is null.")).Select(f => new RenderedField(f.Name, RenderField(task, $"{name}[{i}].{f.Name}", f.Value, scope, cancellationToken)))], [])).ToList();
            default:
                throw new TaskFailedException($"{Where(task)}: [Templated] field {name} is a {value.GetType().Name}; only strings, lists of strings and maps of strings are templates.");
        }
    }

    private RenderedStatement RenderStatement(DagTask task, TemplatedStatement toRender, int index, TemplateScope taskScope, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        var (statement, kind) = toRender;
        var scope = taskScope.WithLanguage(LanguageOf(kind));
        switch (statement.Source)
        {
            case StatementSource.Template:
                var rendered = Library.Render(Library.ParseFile(statement.Text), scope, cancellationToken);
                return new RenderedStatement(index + 1, statement, kind, rendered.Text, rendered.Lines);
            case StatementSource.File:
                var file = Library.ReadFile(statement.Text);
                var preamble = Literal.Preamble(parameters, LanguageOf(kind));
                var lines = LineMap.AfterPreamble(statement.Text, TemplateLibrary.CountLines(preamble), TemplateLibrary.CountLines(file));
                return new RenderedStatement(index + 1, statement, kind, preamble + file, lines);
            default:
                var inline = Library.Render(Library.ParseText(statement.Text, Origin(task, $"Statements[{index}]")), scope, cancellationToken);
                return new RenderedStatement(index + 1, statement, kind, inline.Text, inline.Lines);
        }
    }

    // A rendered part (a step) is shown as its fields, like the task's.
    private static object? Shown(object? value) => value is IReadOnlyList<RenderedTask> parts
        ? parts.Select(p => p.Fields.ToDictionary(f => f.Name, f => Shown(f.Value), StringComparer.Ordinal)).ToList()
        : value;

    // A task that does not describe itself: Python literals in its fields, no statements.
    private static ITemplatedOperator DescriptionOf(DagTask task) => task as ITemplatedOperator ?? Undescribed.Instance;

    private sealed class Undescribed : ITemplatedOperator
    {
        public static readonly Undescribed Instance = new();
    }

    private static string Origin(DagTask task, string where) => $"{task.TaskId}.{where}";

    private static string Where(DagTask task) =>
        task.Source.Line > 0 ? $"Task '{task.TaskId}' ({Path.GetFileName(task.Source.File)}:{task.Source.Line})" : $"Task '{task.TaskId}'";
}
