using DagRunner.Sdk;

namespace DagRunner.Operators.Templates;

/// <summary>
/// What one attempt of a task would send, rendered exactly as the operator renders it: every templated
/// field, the request body (a Livy batch or session, an HTTP call: what the operator says it sends, see
/// <see cref="ITemplatedOperator"/>) and each statement's code.
/// </summary>
public sealed record TaskPreview(IReadOnlyList<RenderedField> Fields, PreviewRequest? Request, IReadOnlyList<RenderedStatement> Statements)
{
    /// <summary>Renders <paramref name="task"/> for the attempt <paramref name="context"/> describes; the outputs
    /// of <paramref name="pendingOutputs"/> (upstream tasks that have not run) render as placeholders.</summary>
    /// <exception cref="TaskFailedException">A template failed; the message says which, where, and why.</exception>
    public static TaskPreview Build(DagTask task, TaskContext context, IReadOnlyCollection<string> pendingOutputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var rendered = TaskTemplates.For(context).Render(task, context, cancellationToken, pendingOutputs);
        var request = (task as ITemplatedOperator)?.RequestPreview(rendered, context);
        return new TaskPreview(rendered.Fields, request, rendered.Statements);
    }
}
