using DagRunner.Testing;
using Spectre.Console;

namespace DagRunner.Cli.Tests;

/// <summary>Runs <c>dagrunner</c> in process against a temp project folder, capturing what it writes.</summary>
internal sealed class CliRun : IDisposable
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public TempFolder Root { get; } = new("dagrunner-cli");

    public string Dag(string relative, string content) => Root.Write(Path.Combine("dags", relative), content);

    public void SetEnvironment(string name, string value) => _environment[name] = value;

    /// <summary>Runs as if attached to a terminal (ANSI output, live displays).</summary>
    public bool Terminal { get; set; }

    /// <summary>What standard input holds (piped, not a terminal).</summary>
    public string Input { get; set; } = "";

    /// <summary>Replaces the standard output writer, to react to what a command prints.</summary>
    public StringWriter? OutputWriter { get; set; }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(TestContext.Current.CancellationToken, args);

    public async Task<CliResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var output = OutputWriter ?? new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = Terminal ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = Terminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        console.Profile.Width = 200;
        var io = new CliIo(output, error, console, name => _environment.GetValueOrDefault(name), Root.Path, IsTerminal: Terminal) { In = new StringReader(Input) };
        var exit = await CliApp.RunAsync(args, io, cancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public void Dispose() => Root.Dispose();
}

internal sealed record CliResult(int ExitCode, string Output, string Error);
