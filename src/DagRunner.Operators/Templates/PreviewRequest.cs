namespace DagRunner.Operators.Templates;

/// <summary>A request body as it is sent, with a title (<c>POST /batches</c>) and a file name for <c>--out</c>.</summary>
public sealed record PreviewRequest(string Title, string FileName, string Language, string Body);
