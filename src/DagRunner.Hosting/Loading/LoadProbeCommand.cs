using DagRunner.Scripting;
using DagRunner.Scripting.Isolation;

namespace DagRunner.Hosting.Loading;

/// <summary>
/// How the application starts its load probe processes: the <c>dagrunner</c> executable that ships
/// beside it, given <see cref="LoadProbeHost.Verb"/> as its first argument.
/// </summary>
public static class LoadProbeCommand
{
    /// <summary>The command for a probe process, or <see langword="null"/> when no <c>dagrunner</c>
    /// executable sits beside this application (a library host such as a test of Hosting alone).</summary>
    public static IReadOnlyList<string>? Find() => Executable() is { } executable ? [.. executable, LoadProbeHost.Verb] : null;

    /// <summary>How to start the <c>dagrunner</c> executable that ships beside this application (the apphost, or
    /// <c>dotnet dagrunner.dll</c>), or <see langword="null"/> when there is none.</summary>
    internal static IReadOnlyList<string>? Executable()
    {
        var folder = AppContext.BaseDirectory;
        var apphost = Path.Combine(folder, OperatingSystem.IsWindows() ? "dagrunner.exe" : "dagrunner");
        if (File.Exists(apphost))
            return [apphost];

        // Framework-dependent without an apphost: `dotnet dagrunner.dll`.
        var assembly = Path.Combine(folder, "dagrunner.dll");
        if (File.Exists(assembly))
            return [DotnetHost(), assembly];
        return null;
    }

    /// <summary>Whether the process was started as a probe process.</summary>
    public static bool IsProbe(IReadOnlyList<string> args) => args is [LoadProbeHost.Verb, ..];

    /// <summary>Serves as a probe process until standard input closes, compiling against what the
    /// runner's DAG files see and checking their templates in the runner's templates folder (<see cref="DagFiles"/>).</summary>
    public static Task<int> RunProbeAsync(IReadOnlyList<string> args) => LoadProbeHost.RunAsync(
        [.. args.Skip(1)],
        templatesFolder => DagFiles.Apply(new ScriptingOptions(), templatesFolder is null ? null : DagFiles.Templates(templatesFolder)));

    /// <summary>Makes a DAG file's code that fails later on a thread of its own (started through
    /// reflection, a token callback, a finalizer) end that thread, not the runner, and tells
    /// <paramref name="warn"/>; see <see cref="ScriptFaults"/>. Not for probe processes, which are left
    /// to die of it so they can report the file.</summary>
    public static void GuardRunnerProcess(Action<string> warn) => ScriptFaults.Install(warn);

    // The `dotnet` host that runs this process: itself, the SDK's (DOTNET_HOST_PATH), the one beside the shared
    // runtime in use (a .NET tool runs through a launcher, and `dotnet` need not be on the PATH), DOTNET_ROOT's, or PATH's.
    private static string DotnetHost()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
            return path;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath)
            return hostPath;
        var besideRuntime = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", name));
        if (File.Exists(besideRuntime))
            return besideRuntime;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, name)))
            return Path.Combine(root, name);
        return "dotnet";
    }
}
