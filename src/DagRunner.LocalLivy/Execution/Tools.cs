using System.Diagnostics;
using System.Reflection;

namespace DagRunner.LocalLivy.Execution;

/// <summary>Finds the external programs LocalLivy can use.</summary>
internal static class Tools
{
    /// <summary><c>$SPARK_HOME/bin/spark-submit</c>, else <c>spark-submit</c> on the PATH, else null.</summary>
    public static string? FindSparkSubmit()
    {
        if (Environment.GetEnvironmentVariable("SPARK_HOME") is { Length: > 0 } home &&
            File.Exists(Path.Join(home, "bin", "spark-submit")))
            return Path.Join(home, "bin", "spark-submit");
        return FindOnPath("spark-submit");
    }

    public static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Join(folder, program))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The interpreter behind <paramref name="python"/> (<c>sys.executable</c>), asked once, so
    /// that each job starts it directly: a version manager's shim (pyenv) costs 70 ms per start.
    /// Falls back to <paramref name="python"/> as given when it cannot be asked.</summary>
    public static string ResolvePython(string python)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, ["-S", "-E", "-c", "import sys; print(sys.executable)"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
                return python;
            var path = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && File.Exists(path) ? path : python;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not installed: jobs report that when they start.
            return python;
        }
    }

    /// <summary>Writes the embedded REPL driver into <paramref name="folder"/> and returns its path.</summary>
    public static string WriteReplDriver(string folder)
    {
        var path = Path.Join(folder, "repl_driver.py");
        using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("repl_driver.py")
            ?? throw new InvalidOperationException("The REPL driver is missing from the LocalLivy assembly.");
        using var file = File.Create(path);
        resource.CopyTo(file);
        return path;
    }
}
