using DagRunner.Scripting;
using DagRunner.Scripting.Serving;

namespace DagRunner.Hosting.Loading;

/// <summary>
/// How the application starts its compile server (<see cref="CompileServerOptions"/>): the <c>dagrunner</c>
/// executable that ships beside it, given <see cref="CompileServerHost.Verb"/> as its first argument.
/// </summary>
public static class CompileServerCommand
{
    /// <summary>The compile server's options, or <see langword="null"/> when no <c>dagrunner</c> executable sits
    /// beside this application (a library host such as a test of Hosting alone).</summary>
    public static CompileServerOptions? Find() =>
        LoadProbeCommand.Executable() is { } executable ? new CompileServerOptions { Command = [.. executable, CompileServerHost.Verb] } : null;

    /// <summary>Asks this build's compile server to stop; false when none was running.</summary>
    public static Task<bool> StopAsync(CancellationToken cancellationToken) =>
        Find() is { } server
            ? CompileServerHost.StopAsync(DagFiles.Apply(new ScriptingOptions()), server, cancellationToken)
            : Task.FromResult(false);

    /// <summary>Whether the process was started as a compile server.</summary>
    public static bool IsServer(IReadOnlyList<string> args) => args is [CompileServerHost.Verb, ..];

    /// <summary>Serves as the compile server until idle or stopped, compiling against what the runner's DAG files
    /// see (<see cref="DagFiles"/>).</summary>
    public static Task<int> RunServerAsync(IReadOnlyList<string> args) =>
        CompileServerHost.RunAsync([.. args.Skip(1)], DagFiles.Apply(new ScriptingOptions()), TimeProvider.System);
}
