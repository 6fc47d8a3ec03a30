using System.CommandLine;
using System.Text;
using DagRunner.Cli.Output;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Runs;
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
            var (found, exit) = await DagLookupText.FindTaskAsync(session, parse.GetValue(dagId)!, parse.GetValue(taskId)!, ct).ConfigureAwait(false);
            if (found is null)
                return exit;
            var (dag, task) = (found.Dag, found.Task!);
            var io = session.Io;
            var request = RunArguments.Request(parse, date, conf, session.Time);
            var render = session.Renderer.Render(dag, task, request, ct);
            if (render.Error is { } error)
            {
                await io.Error.WriteLineAsync(error).ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            Print(io, $"{dag.DagId}.{task.TaskId}", task.Operator, request, render);
            if (parse.GetValue(outFolder) is { } folder)
                await WriteFilesAsync(io, folder, render, ct).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(CliIo io, string title, string operatorName, DagTestRequest request, TaskRender render)
    {
        var console = io.Console;
        console.MarkupLine($"[bold]{Markup.Escape(title)}[/] ({Markup.Escape(operatorName)}), run {Markup.Escape(request.RunId)}");
        console.MarkupLine("[bold]Fields[/]");
        foreach (var field in render.Fields)
            console.MarkupLine($"  {Markup.Escape(field.Name)}: {Markup.Escape(field.Text)}");

        if (render.Request is { } body)
        {
            console.MarkupLine($"[bold]{Markup.Escape(body.Title)}[/]");
            Code(io, body.Body, body.Language);
        }

        foreach (var statement in render.Statements)
        {
            console.MarkupLine($"[bold]Statement {statement.Number}[/] ({Markup.Escape(statement.Origin)}, {LivyKind(statement.Kind)}) as {Markup.Escape(statement.FileName)}:");
            Code(io, statement.Code, CodeHighlighter.LanguageOf(statement.FileName));
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

    private static async Task WriteFilesAsync(CliIo io, string folder, TaskRender render, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(folder, io.CurrentDirectory);
        Directory.CreateDirectory(full);
        var written = new List<string>();
        foreach (var statement in render.Statements)
        {
            await File.WriteAllTextAsync(Path.Combine(full, statement.FileName), statement.Code, Utf8, cancellationToken).ConfigureAwait(false);
            written.Add(statement.FileName);
        }

        if (render.Request is { } body)
        {
            await File.WriteAllTextAsync(Path.Combine(full, body.FileName), body.Body, Utf8, cancellationToken).ConfigureAwait(false);
            written.Add(body.FileName);
        }

        io.Console.MarkupLine(Markup.Escape(written.Count == 0
            ? $"Nothing to write to {io.Display(full)}: the task has no statements or request body."
            : $"Wrote {string.Join(", ", written)} to {io.Display(full)}."));
    }

    private static string LivyKind(SessionKind kind) => kind.ToString().ToLowerInvariant();
}
