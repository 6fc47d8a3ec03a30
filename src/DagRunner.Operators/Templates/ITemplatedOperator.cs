using DagRunner.Sdk;
using DagRunner.Templating.Literals;

namespace DagRunner.Operators.Templates;

/// <summary>
/// How an operator's templates render and what the rendered task sends: the language the <c>lit</c> filter
/// writes in its templated fields, the statements it sends (each in the language it runs in), and the
/// request a preview shows. <see cref="TaskTemplates"/> and <see cref="TaskPreview"/> ask the task, so a new
/// operator (spark-submit, SSH, EMR) renders, previews and is checked at load without either knowing its
/// type. A task that does not implement it renders its fields with Python literals, has no statements and
/// shows no request; each member has that default.
/// </summary>
public interface ITemplatedOperator
{
    /// <summary>The language <c>lit</c> writes in the task's <see cref="TemplatedAttribute"/> fields. Default: Python.</summary>
    LiteralLanguage FieldLanguage => LiteralLanguage.Python;

    /// <summary>The statements the task sends, in order, each with the language it runs in. Default: none.</summary>
    IReadOnlyList<TemplatedStatement> StatementsToRender => [];

    /// <summary>Template files the task renders itself as documents (an EMR cluster template), paths in the templates
    /// folder: checked when the DAG loads like statement templates. Default: none.</summary>
    IReadOnlyList<string> TemplateFiles => [];

    /// <summary>The request an attempt would send, built from its <paramref name="rendered"/> fields, for
    /// previews (<c>tasks render</c>, watch mode). Default: none.</summary>
    /// <param name="rendered">The task's fields and statements, rendered for <paramref name="context"/>.</param>
    /// <param name="context">The attempt the preview is of.</param>
    PreviewRequest? RequestPreview(RenderedTask rendered, TaskContext context) => null;
}
