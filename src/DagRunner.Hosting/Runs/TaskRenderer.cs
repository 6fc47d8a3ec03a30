using System.Text.Encodings.Web;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Runs;

/// <summary>Renders a task for a run as its operator would (<c>tasks render</c>), against the host's
/// services, so a preview is what runs.</summary>
public sealed class TaskRenderer(IServiceProvider services)
{
    private static readonly JsonSerializerOptions FieldJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Renders <paramref name="task"/> of <paramref name="dag"/> for the run <paramref name="request"/> describes.</summary>
    public TaskRender Render(DagDefinition dag, TaskDefinition task, DagTestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        if (task.Instance is null)
            return new TaskRender { Error = $"Task '{task.TaskId}' is not loaded in this process." };

        // Upstream outputs exist only once upstream tasks ran: they render as placeholders here.
        var context = request.ContextFor(dag, task, tryNumber: 1, new Dictionary<string, object?>(), TextWriter.Null, services, cancellationToken);
        TaskPreview preview;
        try
        {
            preview = TaskPreview.Build(task.Instance, context, dag.AncestorsOf(task.TaskId), cancellationToken);
        }
        catch (TaskFailedException e)
        {
            return new TaskRender { Error = e.Message };
        }

        // The values of secret-named map entries (Conf["spark.hadoop.fs.s3a.secret.key"]) are masked wherever they
        // show, as the operators mask them in the task log, besides the secret params and conf of the run.
        var fields = preview.Fields.SelectMany(f => Flatten(f.Name, f.Value)).ToList();
        var mask = SecretMask.From([.. fields.Select(f => f.Value).OfType<IReadOnlyDictionary<string, string>>()
            .SelectMany(map => map.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)))], context.Params, context.Conf);
        // And whatever the operator registered while it built its request (an EMR step's secret --conf argument).
        string Masked(string text) => context.Secrets.Mask(mask.Apply(text));
        return new TaskRender
        {
            Fields = [.. fields.Select(f => (f.Name, Text: Text(f.Value))).Where(f => f.Text is { Length: > 0 }).Select(f => new RenderedFieldText(f.Name, Masked(f.Text!)))],
            Request = preview.Request is { } body ? new RenderedRequestText(Masked(body.Title), body.FileName, body.Language, Masked(body.Body)) : null,
            Statements = [.. preview.Statements.Select(s => new RenderedStatementText(s.Number, s.Origin, s.Kind, s.FileName, Masked(s.Code)))],
        };
    }

    // A list of parts (an EMR task's steps) is shown field by field: Steps[0].Application, Steps[1].Args.
    private static IEnumerable<(string Name, object? Value)> Flatten(string name, object? value) =>
        value is IReadOnlyList<RenderedTask> parts
            ? parts.SelectMany((part, i) => part.Fields.SelectMany(f => Flatten($"{name}[{i}].{f.Name}", f.Value)))
            : [(name, value)];

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        IReadOnlyList<string> { Count: 0 } => null,
        IReadOnlyDictionary<string, string> { Count: 0 } => null,
        _ => JsonSerializer.Serialize(value, value.GetType(), FieldJson),
    };
}
