using System.Collections.Immutable;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Runs;

/// <summary>
/// One task rendered exactly as its operator would send it, secrets already masked: every templated
/// field that has a value, the request body and each statement. Plain data, for any front end to show
/// or write to files.
/// </summary>
public sealed record TaskRender
{
    /// <summary>Why the task could not be rendered (a template failed, the task is not loaded), or
    /// <see langword="null"/> when it was.</summary>
    public string? Error { get; init; }

    /// <summary>The templated fields that have a value, each as text (lists and maps as JSON).</summary>
    public ImmutableArray<RenderedFieldText> Fields { get; init; } = [];

    /// <summary>The request body it sends (a Livy batch or session, an HTTP call), if any.</summary>
    public RenderedRequestText? Request { get; init; }

    /// <summary>The statements it runs, in order.</summary>
    public ImmutableArray<RenderedStatementText> Statements { get; init; } = [];
}

/// <summary>A templated field after rendering.</summary>
/// <param name="Name">The field's name.</param>
/// <param name="Text">Its value as text, masked.</param>
public sealed record RenderedFieldText(string Name, string Text);

/// <summary>A request body as it is sent.</summary>
/// <param name="Title">What is sent where, e.g. <c>POST /batches</c> (masked).</param>
/// <param name="FileName">A file name to write it as, e.g. <c>batch_request.json</c>.</param>
/// <param name="Language">The body's language for highlighting: <c>json</c> or <c>text</c>.</param>
/// <param name="Body">The body, masked.</param>
public sealed record RenderedRequestText(string Title, string FileName, string Language, string Body);

/// <summary>A statement as it will be sent.</summary>
/// <param name="Number">Its number in the task, from 1.</param>
/// <param name="Origin">The template or file it came from, or <c>inline</c>.</param>
/// <param name="Kind">The session kind it runs in.</param>
/// <param name="FileName">A file name to write it as a runnable file, e.g. <c>01_load.py</c>.</param>
/// <param name="Code">The code, masked.</param>
public sealed record RenderedStatementText(int Number, string Origin, SessionKind Kind, string FileName, string Code);
