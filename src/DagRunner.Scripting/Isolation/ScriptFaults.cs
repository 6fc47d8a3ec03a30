using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;

namespace DagRunner.Scripting.Isolation;

/// <summary>
/// The runner's last line against code from a DAG file (or a library it <c>#r</c>s) that fails on a
/// thread of its own after the file loaded: a thread started through reflection, a token callback, a
/// finalizer. .NET ends the process on such an exception; with this handler installed, one whose
/// stack runs through a DAG file's code (its collectible load context) is reported and that thread
/// alone ends, so every other DAG and the runner go on. Any other unhandled exception is the runner's
/// own bug and still ends the process, as it should.
/// </summary>
public static class ScriptFaults
{
    // AggregateException nesting (a callback's exception wrapped by Cancel) is followed this deep.
    private const int MaxDepth = 8;

    /// <summary>Installs the handler for this process (once); <paramref name="report"/> says what was stopped.</summary>
    public static void Install(Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ExceptionHandling.SetUnhandledExceptionHandler(exception =>
        {
            if (ScriptFrame(exception, 0) is not { } frame)
                return false;
            try
            {
                report(Describe(exception, frame));
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // Nowhere to say it: the thread still ends alone.
            }

            return true;
        });
    }

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) was thrown through a DAG file's code.</summary>
    public static bool FromScript(Exception exception) => ScriptFrame(exception, 0) is not null;

    private static StackFrame? ScriptFrame(Exception? exception, int depth)
    {
        if (exception is null || depth > MaxDepth)
            return null;
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            if (frame.GetMethod()?.Module.Assembly is { IsCollectible: true })
                return frame;
        }

        if (exception is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions)
            {
                if (ScriptFrame(inner, depth + 1) is { } found)
                    return found;
            }

            return null;
        }

        return ScriptFrame(exception.InnerException, depth + 1);
    }

    private static string Describe(Exception exception, StackFrame frame)
    {
        var root = exception is AggregateException { InnerExceptions.Count: 1 } single ? single.InnerExceptions[0] : exception;
        var where = frame.GetFileName() is { Length: > 0 } file
            ? string.Create(CultureInfo.InvariantCulture, $"{file}:{frame.GetFileLineNumber()}")
            : frame.GetMethod()?.Name ?? "a DAG file";
        return $"Code from a DAG file failed on a thread of its own and was stopped there ({where}): {root.GetType().Name}: {root.Message}. " +
            "The runner goes on; fix the file so that it does not start work that outlives its load.";
    }
}
