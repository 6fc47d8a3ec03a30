using Scriban;

namespace DagRunner.Templating;

/// <summary>A template parsed once (when its DAG loads) and rendered many times.</summary>
public sealed class ParsedTemplate
{
    internal ParsedTemplate(string origin, string text, Template? template)
    {
        Origin = origin;
        Text = text;
        Template = template;
    }

    /// <summary>The template's path under the templates folder, or a description of the field it came from.</summary>
    public string Origin { get; }

    /// <summary>The template's text.</summary>
    public string Text { get; }

    /// <summary>Whether the text holds no template code at all and renders as itself.</summary>
    public bool IsPlain => Template is null;

    internal Template? Template { get; }
}
