using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DagRunner.Cli.Output;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Tasks;

/// <summary>
/// <c>tasks render DAG TASK [--date D] [--conf JSON] [--out DIR]</c>: every templated field, the request
/// and each statement exactly as the operator would send them (secrets masked); <c>--out</c> writes each
/// statement as a runnable file and the request body beside them.
/// </summary>
internal static class TasksRenderCommand
{
    private static readonly JsonSerializerOptions FieldJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var taskId = new Argument<string>("TASK") { Description = "The task id" };
        var date = RunArguments.DateOption();
        var conf = RunArguments.ConfOption();
        var outFolder = new Option<string?>("--out") { Description = "Write each statement as a runnable file (01_load.py, ...) and the request body as JSON into this folder" };
        var command = new Command("render", "Show every templated field and statement of a task exactly as it would be sent") { dagId, taskId, date, conf, outFolder };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
                return exit;
            var io = session.Io;
            var id = parse.GetValue(taskId)!;
            if (dag.FindTask(id) is not { } task)
            {
                await io.Error.WriteLineAsync($"DAG '{dag.DagId}' has no task '{id}'. Its tasks: {string.Join(", ", dag.Tasks.Select(t => t.TaskId))}.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (task.Instance is null)
            {
                await io.Error.WriteLineAsync($"Task '{id}' is not loaded in this process.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            var request = RunArguments.Request(parse, date, conf, session.Time);
            // Upstream outputs exist only once upstream tasks ran: they render as placeholders here.
            var taskContext = request.ContextFor(dag, task, tryNumber: 1, new Dictionary<string, object?>(), TextWriter.Null, session.Services, ct);
            TaskPreview preview;
            try
            {
                preview = TaskPreview.Build(task.Instance, taskContext, dag.AncestorsOf(task.TaskId), ct);
            }
            catch (TaskFailedException e)
            {
                await io.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            var mask = SecretMask.From(taskContext.Params, taskContext.Conf);
            Print(io, $"{dag.DagId}.{task.TaskId}", task.Operator, request, preview, mask);
            if (parse.GetValue(outFolder) is { } folder)
                await WriteFilesAsync(io, folder, preview, mask, ct).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(CliIo io, string title, string operatorName, DagTestRequest request, TaskPreview preview, SecretMask mask)
    {
        var console = io.Console;
        console.MarkupLine($"[bold]{Markup.Escape(title)}[/] ({Markup.Escape(operatorName)}), run {Markup.Escape(request.RunId)}");
        console.MarkupLine("[bold]Fields[/]");
        foreach (var field in preview.Fields)
        {
            if (Text(field.Value) is { Length: > 0 } text)
                console.MarkupLine($"  {Markup.Escape(field.Name)}: {Markup.Escape(mask.Apply(text))}");
        }

        if (preview.Request is { } body)
        {
            console.MarkupLine($"[bold]{Markup.Escape(mask.Apply(body.Title))}[/]");
            Code(io, mask.Apply(body.Body), body.Language);
        }

        foreach (var statement in preview.Statements)
        {
            console.MarkupLine($"[bold]Statement {statement.Number}[/] ({Markup.Escape(statement.Origin)}, {LivyKind(statement.Kind)}) as {Markup.Escape(statement.FileName)}:");
            Code(io, mask.Apply(statement.Code), CodeHighlighter.LanguageOf(statement.FileName));
        }
    }

    // Exactly the text that is sent: coloured in a terminal, untouched when piped. Like diff, a text
    // without a final newline is followed by a marker line rather than a newline that is not sent.
    private static void Code(CliIo io, string code, string language)
    {
        if (io.IsTerminal)
            io.Console.Markup(CodeHighlighter.ToMarkup(code, language));
        else
            io.Console.Profile.Out.Writer.Write(code);
        if (!code.EndsWith('\n'))
            io.Console.Profile.Out.Writer.Write("\n\\ No newline at end of text\n");
    }

    private static async Task WriteFilesAsync(CliIo io, string folder, TaskPreview preview, SecretMask mask, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(folder, io.CurrentDirectory);
        Directory.CreateDirectory(full);
        var written = new List<string>();
        foreach (var statement in preview.Statements)
        {
            await File.WriteAllTextAsync(Path.Combine(full, statement.FileName), mask.Apply(statement.Code), Utf8, cancellationToken).ConfigureAwait(false);
            written.Add(statement.FileName);
        }

        if (preview.Request is { } body)
        {
            await File.WriteAllTextAsync(Path.Combine(full, body.FileName), mask.Apply(body.Body), Utf8, cancellationToken).ConfigureAwait(false);
            written.Add(body.FileName);
        }

        io.Console.MarkupLine(Markup.Escape(written.Count == 0
            ? $"Nothing to write to {io.Display(full)}: the task has no statements or request body."
            : $"Wrote {string.Join(", ", written)} to {io.Display(full)}."));
    }

    private static string LivyKind(SessionKind kind) => kind.ToString().ToLowerInvariant();

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        IReadOnlyList<string> { Count: 0 } => null,
        IReadOnlyDictionary<string, string> { Count: 0 } => null,
        _ => JsonSerializer.Serialize(value, value.GetType(), FieldJson),
    };
}
