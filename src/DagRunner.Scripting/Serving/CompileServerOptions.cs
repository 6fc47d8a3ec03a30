namespace DagRunner.Scripting.Serving;

/// <summary>
/// The compile server: one long-running process per user and DagRunner build that keeps a warm compiler
/// (Roslyn's code JIT-compiled, the framework's metadata read) for the processes that load DAG files, as
/// <c>dotnet build-server</c> does for builds. A one-shot command that finds files missing from the compile
/// cache has them compiled there instead of starting a compiler of its own, which in a fresh process costs
/// more than the compiling (about a second for the first file). When none answers, the loader compiles
/// itself and starts one for the commands after it; one that has nothing to do for
/// <see cref="IdleTimeout"/> ends.
/// </summary>
public sealed class CompileServerOptions
{
    /// <summary>The default <see cref="IdleTimeout"/>: 10 minutes.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The command that starts a server: an executable and its first arguments, which serve
    /// <see cref="CompileServerHost.RunAsync"/> (the <c>dagrunner</c> executable and <see cref="CompileServerHost.Verb"/>).
    /// </summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>
    /// The folder of the servers' sockets, readable by its owner only. Default: <c>dagrunner/compile-server</c>
    /// under the user's local application data (<c>~/.local/share</c> on Linux).
    /// </summary>
    public string Folder { get; init; } = DefaultFolder();

    /// <summary>How long a server with nothing to do waits before it ends. Default: 10 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = DefaultIdleTimeout;

    /// <summary>Whether a loader that finds no server starts one (for the next process). Default: true.</summary>
    public bool StartServer { get; init; } = true;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (Command.Count == 0 || string.IsNullOrWhiteSpace(Command[0]))
            throw new ArgumentException("The compile server's command is empty.", nameof(Command));
        if (string.IsNullOrWhiteSpace(Folder))
            throw new ArgumentException("The compile server's folder is empty.", nameof(Folder));
        if (IdleTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "The idle timeout must be positive.");
    }

    /// <summary>The default <see cref="Folder"/>.</summary>
    public static string DefaultFolder() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "dagrunner", "compile-server");
}
