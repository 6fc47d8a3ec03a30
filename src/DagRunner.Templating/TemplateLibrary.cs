using System.Collections.Concurrent;
using DagRunner.Templating.Rendering;
using Scriban;
using Scriban.Parsing;

namespace DagRunner.Templating;

/// <summary>
/// Parses templates (files under the templates folder, and the strings of operator fields) once and
/// keeps them: a file is parsed again only when it changes. Parsing reports syntax errors and
/// undefined names with the template's file, line and column. Thread-safe.
/// </summary>
public sealed partial class TemplateLibrary
{
    // Field templates repeat across tasks and runs. Watch mode brings a new version of each edited
    // field on every save, so the cache keeps what is in use and drops the rest (at most twice this).
    private const int CachedTextsPerGeneration = 2_000;

    private readonly ConcurrentDictionary<string, (DateTime Written, long Length, ParsedTemplate Template)> _files = new(StringComparer.Ordinal);
    private readonly TwoGenerationCache<(string Origin, string Text), ParsedTemplate> _texts = new(CachedTextsPerGeneration);
    private readonly TemplateFolder _folder;

    /// <summary>Creates a library over <see cref="TemplateOptions.TemplatesFolder"/>.</summary>
    public TemplateLibrary(TemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _folder = new TemplateFolder(options.TemplatesFolder);
    }

    /// <summary>The options in force.</summary>
    public TemplateOptions Options { get; }

    /// <summary>The templates folder, as a full path.</summary>
    public string Root => _folder.Root;

    /// <summary>Parses the template file at <paramref name="relativePath"/> under the templates folder.</summary>
    /// <exception cref="TemplateException">The path leaves the folder, the file is missing, or it does not parse.</exception>
    public ParsedTemplate ParseFile(string relativePath)
    {
        var path = Resolve(relativePath);
        // Stamped before it is read: an edit in between is seen by the next call instead of being
        // cached under the new stamp with the old text.
        var info = new FileInfo(path);
        if (_files.TryGetValue(path, out var cached) && cached.Written == info.LastWriteTimeUtc && cached.Length == info.Length)
            return cached.Template;
        var parsed = Parse(ReadFile(relativePath), relativePath.Replace('\\', '/'), alwaysParse: true);
        _files[path] = (info.LastWriteTimeUtc, info.Length, parsed);
        return parsed;
    }

    /// <summary>Parses a template written in a field; <paramref name="origin"/> names the field in errors.
    /// Text without <c>{{</c> is not parsed at all and renders as itself.</summary>
    /// <exception cref="TemplateException">The text does not parse.</exception>
    public ParsedTemplate ParseText(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(origin);
        // Plain text costs nothing to wrap, so only real templates take a place in the cache.
        if (!text.Contains("{{", StringComparison.Ordinal))
            return new ParsedTemplate(origin, text, null);
        if (_texts.TryGetValue((origin, text), out var cached))
            return cached;
        var parsed = Parse(text, origin, alwaysParse: false);
        _texts.Set((origin, text), parsed);
        return parsed;
    }

    /// <summary>Reads a plain file under the templates folder (a <c>FromFile</c> statement).</summary>
    /// <exception cref="TemplateException">The path leaves the folder or the file cannot be read.</exception>
    public string ReadFile(string relativePath)
    {
        var path = Resolve(relativePath);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TemplateException(relativePath, 0, 0, File.Exists(path) ? $"cannot be read: {e.Message}" : $"does not exist (looked for {path}).", e);
        }
    }

    private string Resolve(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (!_folder.TryResolve(relativePath, out var path, out var problem))
            throw new TemplateException(relativePath, 0, 0, problem);
        return path;
    }

    private static ParsedTemplate Parse(string text, string origin, bool alwaysParse)
    {
        if (!alwaysParse && !text.Contains("{{", StringComparison.Ordinal))
            return new ParsedTemplate(origin, text, null);
        var template = Template.Parse(text, origin, lexerOptions: new LexerOptions { Lang = ScriptLang.Default, Mode = ScriptMode.Default });
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == ParserMessageType.Error);
            throw new TemplateException(origin, first.Span.Start.Line + 1, first.Span.Start.Column + 1, first.Message);
        }

        if (NameCheck.FindUndefined(template) is { } undefined)
        {
            throw new TemplateException(origin, undefined.Span.Start.Line + 1, undefined.Span.Start.Column + 1,
                $"`{undefined.Name}` is not defined. Templates can use {string.Join(", ", TemplateScope.Names)}, Scriban's built-ins, and names they set themselves.");
        }

        return new ParsedTemplate(origin, text, template);
    }
}
