namespace DagRunner.Templating;

/// <summary>What a render wrote, and which template line each of its lines came from.</summary>
public sealed record RenderedText(string Text, LineMap Lines);
