using System.Collections.Immutable;
using System.Text;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace DagRunner.Templating.Rendering;

/// <summary>
/// Collects a render's text, stops it at the output limit, and remembers for each line written the
/// template line it came from: literal text maps line for line, and a line an expression starts
/// maps to the line the expression stands on.
/// </summary>
internal sealed class TrackingOutput(TemplateContext context, Func<string?, string> originOf, int limit) : IScriptOutput
{
    private readonly StringBuilder _text = new();
    private readonly ImmutableArray<SourceLine?>.Builder _lines = ImmutableArray.CreateBuilder<SourceLine?>();
    private string _origin = originOf(null);
    private int _line = 1;
    private bool _atLineStart = true;

    public RenderedText Result() => new(_text.ToString(), new LineMap(_lines.ToImmutable()));

    public void Write(string value, int offset, int count)
    {
        if (_text.Length + count > limit)
            throw new OutputLimitException(limit);
        var raw = context.CurrentNode as ScriptRawStatement;
        if (raw is not null)
        {
            _origin = originOf(context.CurrentSourceFile);
            var start = raw.Span.Start.Offset;
            // A raw statement writes a slice of the template's own text, so the offset says where it is.
            _line = raw.Span.Start.Line + 1 + (offset >= start && offset <= value.Length ? CountNewlines(value, start, offset) : 0);
        }
        else if (_atLineStart && context is RenderContext { WritingSpan: { } span })
        {
            // An expression that starts a line: the line is the expression's own.
            _origin = originOf(string.IsNullOrEmpty(span.FileName) ? null : span.FileName);
            _line = span.Start.Line + 1;
        }

        for (var i = offset; i < offset + count; i++)
        {
            if (_atLineStart)
            {
                _lines.Add(new SourceLine(_origin, _line));
                _atLineStart = false;
            }

            if (value[i] == '\n')
            {
                _atLineStart = true;
                if (raw is not null)
                    _line++;
            }
        }

        _text.Append(value, offset, count);
    }

    public ValueTask WriteAsync(string value, int offset, int count, CancellationToken cancellationToken)
    {
        Write(value, offset, count);
        return ValueTask.CompletedTask;
    }

    private static int CountNewlines(string text, int from, int to)
    {
        var count = 0;
        for (var i = from; i < to; i++)
        {
            if (text[i] == '\n')
                count++;
        }

        return count;
    }
}

/// <summary>Thrown when a render writes more than the output limit.</summary>
internal sealed class OutputLimitException(int limit) : Exception($"The output exceeds {limit:N0} characters (TemplateOptions.OutputLimit).");
