using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace DagRunner.Templating.Rendering;

/// <summary>Resolves <c>include</c> inside the templates folder only: a relative path without <c>..</c>.</summary>
internal sealed class ConfinedTemplateLoader(TemplateFolder folder) : ITemplateLoader
{
    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
    {
        if (!folder.TryResolve(templateName, out var path, out var problem))
            throw new ScriptRuntimeException(callerSpan, $"include '{templateName}': {problem}");
        if (!File.Exists(path))
            throw new ScriptRuntimeException(callerSpan, $"include '{templateName}': the file does not exist (looked for {path}).");
        return path;
    }

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => File.ReadAllText(templatePath);

    public async ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        await File.ReadAllTextAsync(templatePath, context.CancellationToken).ConfigureAwait(false);
}
