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
