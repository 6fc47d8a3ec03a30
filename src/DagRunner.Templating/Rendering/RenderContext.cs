using System.Globalization;
using DagRunner.Templating.Literals;
using Scriban;
using Scriban.Runtime;

namespace DagRunner.Templating.Rendering;

/// <summary>A Scriban context that knows the statement's language and writes dates and numbers the
/// way code expects them (ISO 8601, invariant culture) rather than Scriban's display formats.</summary>
internal sealed class RenderContext() : TemplateContext(Builtins)
{
    // Scriban builds its built-in functions (string, array, date, ...) for every context unless it is
    // given them; they are only read, so one set serves every render.
    private static readonly ScriptObject Builtins = new TemplateContext().BuiltinObject;

    public required LiteralLanguage LiteralLanguage { get; init; }

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
