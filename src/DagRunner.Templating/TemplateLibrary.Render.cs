using System.Text.RegularExpressions;
using DagRunner.Templating.Literals;
using DagRunner.Templating.Rendering;
using Scriban.Runtime;
using Scriban.Syntax;

namespace DagRunner.Templating;

public sealed partial class TemplateLibrary
{
    /// <summary>Renders <paramref name="template"/> against <paramref name="scope"/>, strictly: an undefined
    /// name or member is an error naming it, and the loop, recursion and output limits apply.</summary>
    /// <exception cref="TemplateException">The render failed; the error says where in which template.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public RenderedText Render(ParsedTemplate template, TemplateScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(scope);
        cancellationToken.ThrowIfCancellationRequested();
        if (template.Template is null)
            return new RenderedText(template.Text, LineMap.AfterPreamble(template.Origin, 0, CountLines(template.Text)));

        var context = new RenderContext
        {
            LiteralLanguage = scope.Language,
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            EnableRelaxedTargetAccess = false,
            EnableRelaxedIndexerAccess = false,
            LoopLimit = Options.LoopLimit,
            RecursiveLimit = Options.RecursionLimit,
            TemplateLoader = new ConfinedTemplateLoader(_folder),
            CancellationToken = cancellationToken,
            NewLine = "\n",
        };
        context.PushGlobal(scope.Globals);
        // Names a template sets land here, never in the scope that other renders share.
        context.PushGlobal(new ScriptObject());
        var output = new TrackingOutput(context, file => file is null ? template.Origin : _folder.Relative(file), Options.OutputLimit);
        context.PushOutput(output);
        try
        {
            template.Template.Render(context);
            return output.Result();
        }
        catch (OutputLimitException e)
        {
            throw new TemplateException(template.Origin, 0, 0, e.Message, e);
        }
        catch (ScriptRuntimeException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The render was cancelled.", e, cancellationToken);
        }
        catch (ScriptRuntimeException e)
        {
            var origin = string.IsNullOrEmpty(e.Span.FileName) ? template.Origin : _folder.Relative(e.Span.FileName);
            throw new TemplateException(origin, e.Span.Start.Line + 1, e.Span.Start.Column + 1, Explain(e), e);
        }
    }

    /// <summary>The number of lines of a text: a final newline ends the last line rather than starting one.</summary>
    public static int CountLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            return 0;
        var lines = text.Count(c => c == '\n');
        return text[^1] == '\n' ? lines : lines + 1;
    }

    private static string Explain(ScriptRuntimeException e)
    {
        var message = e.OriginalMessage;
        if (e.InnerException is LiteralException literal)
            return literal.Message;
        var member = MemberMessage().Match(message);
        if (member.Success)
            return $"`{member.Groups[1].Value}` is not defined here (a missing parameter, output or member?).";
        var indexer = IndexerMessage().Match(message);
        if (indexer.Success)
            return $"{indexer.Groups[2].Value} is not defined in `{indexer.Groups[1].Value}` (a missing parameter, output or key?).";
        var variable = VariableMessage().Match(message);
        if (variable.Success)
            return $"`{variable.Groups[1].Value}` is not defined. Templates can use {string.Join(", ", TemplateScope.Names)}, and Scriban's built-ins.";
        return message;
    }

    [GeneratedRegex(@"^Cannot get member with name (.+?)\.?$")]
    private static partial Regex MemberMessage();

    [GeneratedRegex(@"^Cannot access target `(.+?)` with an indexer: (.+)$")]
    private static partial Regex IndexerMessage();

    [GeneratedRegex(@"^The variable or function `(.+?)` was not found")]
    private static partial Regex VariableMessage();
}
