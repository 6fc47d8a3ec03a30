using System.Diagnostics;

namespace DagRunner.EndToEnd.Tests;

/// <summary>Starts the built <c>dagrunner</c> executable in a folder and collects what it prints.</summary>
internal static class DagRunnerProcess
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs with <paramref name="environment"/> added to the process's environment.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = StartInfo(workingDirectory, args, environment);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>How every test starts <c>dagrunner</c> (or <paramref name="program"/> wrapping it): output
    /// redirected, the arguments as given, and no setting of the developer's shell leaking in.</summary>
    public static ProcessStartInfo StartInfo(
        string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? program = null)
    {
        var start = new ProcessStartInfo(program ?? Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        // The tests decide every setting; nothing from the developer's shell leaks in.
        foreach (var name in new[] { "DAGRUNNER_DAGS_FOLDER", "DAGRUNNER_TEMPLATES_FOLDER", "DAGRUNNER_HOME", "DAGRUNNER_LOAD_TIMEOUT" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return start;
    }

    /// <summary>The built executable the tests run.</summary>
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "dagrunner.exe" : "dagrunner");

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DagRunner.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("DagRunner.sln was not found above " + AppContext.BaseDirectory);
    }
}
