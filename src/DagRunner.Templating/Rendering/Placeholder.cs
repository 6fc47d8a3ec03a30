using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace DagRunner.Templating.Rendering;

/// <summary>
/// A value a preview cannot know yet, such as an upstream task's output before that task ran: any
/// member of it is another placeholder, and it renders as <c>&lt;outputs.extract.app_id&gt;</c>, so the
/// preview shows where the value will go instead of failing.
/// </summary>
internal sealed class Placeholder(string path) : ScriptObject
{
    public string Path { get; } = path;

    public override bool Contains(string member) => true;

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object value)
    {
        value = new Placeholder($"{Path}.{member}");
        return true;
    }

    public string Text => $"<{Path}>";
}
