using DagRunner.Sdk;
using Spectre.Console;

namespace DagRunner.Cli;

/// <summary>
/// Where a command reads its environment and writes its output. <see cref="Out"/> is for plain
/// output meant for pipes (JSON, error lines); <see cref="Console"/> for rich terminal output.
/// Tests give their own writers. Everything written passes <see cref="Secrets"/>, the process's masker.
/// </summary>
internal sealed record CliIo(
    TextWriter Out,
    TextWriter Error,
    IAnsiConsole Console,
    Func<string, string?> Environment,
    string CurrentDirectory,
    bool IsTerminal)
{
    /// <summary>The secrets of this process, hidden in all it writes: the executor, the connections and the
    /// run store register theirs here. Default: a masker of this value's own.</summary>
    public SecretMasker Secrets { get; init; } = new();

    /// <summary>Standard input (a password for <c>web hash-password</c>). Default: nothing to read.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>Whether <see cref="In"/> is a terminal a person types into (then a password is asked without echo).</summary>
    public bool InputIsTerminal { get; init; }

    public static CliIo FromProcess()
    {
        var isTerminal = !System.Console.IsOutputRedirected;
        var secrets = new SecretMasker();

        // Before anything holds the console's writers (Spectre's console is made below, Serilog's sink looks
        // them up as it writes): every line this process prints passes the masker, whoever prints it.
        System.Console.SetOut(secrets.Wrap(System.Console.Out));
        System.Console.SetError(secrets.Wrap(System.Console.Error));
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
            isTerminal)
        { Secrets = secrets, In = System.Console.In, InputIsTerminal = !System.Console.IsInputRedirected };
    }

    /// <summary>This value with its plain writers masking secrets (tests give plain writers; the process's
    /// console is masked already).</summary>
    public CliIo WithMaskedWriters() => this with { Out = Secrets.Wrap(Out), Error = Secrets.Wrap(Error) };

    /// <summary>A path shown relative to the current folder when it lies inside it.</summary>
    public string Display(string path)
    {
        var relative = Path.GetRelativePath(CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
