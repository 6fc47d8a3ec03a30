using Spectre.Console;

namespace DagRunner.Cli;

/// <summary>
/// Where a command reads its environment and writes its output. <see cref="Out"/> is for plain
/// output meant for pipes (JSON, error lines); <see cref="Console"/> for rich terminal output.
/// Tests give their own writers.
/// </summary>
internal sealed record CliIo(
    TextWriter Out,
    TextWriter Error,
    IAnsiConsole Console,
    Func<string, string?> Environment,
    string CurrentDirectory,
    bool IsTerminal)
{
    public static CliIo FromProcess()
    {
        var isTerminal = !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Console;

        // Piped output is read by programs and people with wide windows: tables must not be
        // squeezed into Spectre's default of 80 columns.
        if (!isTerminal)
        {
            console.Profile.Width = 240;
        }

        return new CliIo(
            System.Console.Out,
            System.Console.Error,
            console,
            System.Environment.GetEnvironmentVariable,
            System.Environment.CurrentDirectory,
            isTerminal);
    }

    /// <summary>A path shown relative to the current folder when it lies inside it.</summary>
    public string Display(string path)
    {
        var relative = Path.GetRelativePath(CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
