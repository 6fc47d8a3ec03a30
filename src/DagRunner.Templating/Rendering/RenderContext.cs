using System.Globalization;
using DagRunner.Templating.Literals;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace DagRunner.Templating.Rendering;

/// <summary>A Scriban context that knows the statement's language, writes dates and numbers the way
/// code expects them (ISO 8601, invariant culture) rather than Scriban's display formats, and tells
/// the output which expression is writing.</summary>
internal sealed class RenderContext() : TemplateContext(Builtins)
{
    // Scriban builds its built-in functions (string, array, date, ...) for every context unless it is
    // given them. One set serves every render, frozen so that no template can add to it or change a
    // setting (`date.format`) that another render, maybe on another thread, would then see.
    private static readonly ScriptObject Builtins = ReadOnly.Freeze(new TemplateContext().BuiltinObject);

    public required LiteralLanguage LiteralLanguage { get; init; }

    /// <summary>The span of the expression statement being evaluated: where its output comes from.</summary>
    public SourceSpan? WritingSpan { get; private set; }

    public override object? Evaluate(ScriptNode? node, bool aliasReturnedFunction)
    {
        if (node is ScriptExpressionStatement statement)
            WritingSpan = statement.Span;
        return base.Evaluate(node, aliasReturnedFunction);
    }

    // Scriban's date functions take a DateTime; the context's date-times are DateTimeOffsets.
    public override object? ToObject(SourceSpan span, object? value, Type destinationType) =>
        value is DateTimeOffset offset && (destinationType == typeof(DateTime) || destinationType == typeof(DateTime?))
            ? offset.UtcDateTime
            : base.ToObject(span, value, destinationType);

    public override string? ObjectToString(object? value, bool nested = false) => value switch
    {
        Placeholder placeholder => placeholder.Text,
        DateTimeOffset offset => offset.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        _ => base.ObjectToString(value, nested),
    };
}
