namespace DagRunner.Templating;

/// <summary>Where templates live and how far one render may go.</summary>
public sealed class TemplateOptions
{
    /// <summary>The folder that <c>FromTemplate</c> and <c>FromFile</c> paths and <c>include</c>s resolve in; nothing outside it is read. Default: <c>./templates</c>.</summary>
    public string TemplatesFolder { get; set; } = "templates";

    /// <summary>The most iterations one loop may run. Default: 1,000 (Scriban's own default).</summary>
    public int LoopLimit { get; set; } = 1000;

    /// <summary>How deep function calls and includes may nest. Default: 100.</summary>
    public int RecursionLimit { get; set; } = 100;

    /// <summary>The most characters one render may write. Default: 4,000,000 (a statement larger than that is a bug, not code).</summary>
    public int OutputLimit { get; set; } = 4_000_000;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(TemplatesFolder))
            throw new ArgumentException("The templates folder is empty.", nameof(TemplatesFolder));
        if (LoopLimit < 1)
            throw new ArgumentOutOfRangeException(nameof(LoopLimit), LoopLimit, "The loop limit must be at least 1.");
        if (RecursionLimit < 1)
            throw new ArgumentOutOfRangeException(nameof(RecursionLimit), RecursionLimit, "The recursion limit must be at least 1.");
        if (OutputLimit < 1)
            throw new ArgumentOutOfRangeException(nameof(OutputLimit), OutputLimit, "The output limit must be at least 1.");
    }
}
