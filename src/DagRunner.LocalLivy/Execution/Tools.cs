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

    /// <summary>Writes the embedded local <c>spark-submit</c> (a Python 3 script that submits to a
    /// LocalLivy as a batch, see <c>spark_submit.py</c>) to <c>{folder}/bin/spark-submit</c>, executable
    /// on Unix, and returns its path. Line ends are written as LF whatever the checkout has: a CR after
    /// the shebang's <c>python3</c> would name a program that does not exist.</summary>
    public static string WriteSparkSubmit(string folder)
    {
        var bin = Path.Join(folder, "bin");
        Directory.CreateDirectory(bin);
        var path = Path.Join(bin, "spark-submit");
        using (var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("spark_submit.py")
            ?? throw new InvalidOperationException("The local spark-submit (spark_submit.py) is missing from the LocalLivy assembly."))
        using (var reader = new StreamReader(resource))
            File.WriteAllText(path, reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return path;
    }
}
