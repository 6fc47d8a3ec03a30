using System.Diagnostics;
using System.Reflection;
using System.Text;
using DagRunner.Engine.Definitions;
using DagRunner.Scripting.Compilation;

namespace DagRunner.Scripting.Loading;

/// <summary>Turns an exception a DAG file threw while loading into an import error at the script line it came from.</summary>
internal static class ScriptFailure
{
    public static ImportError FromException(string dagFile, Exception exception, ColumnMap columns, string? messageOverride = null)
    {
        var error = Unwrap(exception);
        var frames = ScriptFrames(new StackTrace(error, fNeedFileInfo: true));
        return At(dagFile, frames, columns, messageOverride ?? $"{error.GetType().Name}: {error.Message}", Describe(error, frames));
    }

    /// <summary>An import error at the innermost script line of <paramref name="trace"/> (a stack taken
    /// where the file did something fatal), or at no line when no frame is in a script.</summary>
    public static ImportError FromStackTrace(string dagFile, StackTrace trace, ColumnMap columns, string message) =>
        At(dagFile, ScriptFrames(trace), columns, message, null);

    private static List<StackFrame> ScriptFrames(StackTrace trace) =>
        [.. trace.GetFrames().Where(f => f.GetFileName() is { } name && name.EndsWith(".csx", StringComparison.OrdinalIgnoreCase))];

    private static ImportError At(string dagFile, List<StackFrame> frames, ColumnMap columns, string message, string? detail)
    {
        if (frames.Count == 0)
        {
            return new ImportError { File = dagFile, Message = message, Detail = detail };
        }

        var top = frames[0];
        var file = top.GetFileName()!;
        var line = top.GetFileLineNumber();
        return new ImportError
        {
            File = dagFile,
            SourceFile = string.Equals(file, dagFile, StringComparison.Ordinal) ? null : file,
            Line = line,
            Column = columns.ToOriginal(file, line, top.GetFileColumnNumber()),
            Message = message,
            SourceText = ReadLine(file, line),
            Detail = detail,
        };
    }

    public static Exception Unwrap(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case TargetInvocationException { InnerException: { } inner }:
                    exception = inner;
                    break;
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    exception = aggregate.InnerExceptions[0];
                    break;
                case TypeInitializationException { InnerException: { } inner }:
                    exception = inner;
                    break;
                default:
                    return exception;
            }
        }
    }

    public static string? ReadLine(string file, int line)
    {
        if (line < 1)
        {
            return null;
        }

        try
        {
            return File.ReadLines(file).Skip(line - 1).FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }

    // The stack in script terms: the script's own frames, innermost first, then the exception chain.
    private static string Describe(Exception error, List<StackFrame> scriptFrames)
    {
        var text = new StringBuilder();
        text.Append(error.GetType().FullName).Append(": ").AppendLine(error.Message);
        foreach (var frame in scriptFrames)
        {
            var method = frame.GetMethod();
            var name = method?.Name is { } n && !n.StartsWith('<') ? n : "(script)";
            text.Append("   at ").Append(name).Append(" in ").Append(frame.GetFileName()).Append(':').Append(frame.GetFileLineNumber()).AppendLine();
        }

        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" ---> ").Append(inner.GetType().FullName).Append(": ").AppendLine(inner.Message);
        }

        return text.ToString().TrimEnd();
    }
}
