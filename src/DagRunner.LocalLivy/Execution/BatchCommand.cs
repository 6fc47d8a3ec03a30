using System.Diagnostics;
using System.Globalization;

namespace DagRunner.LocalLivy.Execution;

/// <summary>The command line of a batch: <c>spark-submit</c> in local mode when there is one,
/// otherwise <c>python3</c> for <c>.py</c> files. Arguments are passed as given, never through a shell.</summary>
internal static class BatchCommand
{
    /// <summary>A start-info (started through the <see cref="JobLauncher"/>, which makes the job's
    /// process group), or an error saying why this batch cannot run here.</summary>
    public static (ProcessStartInfo? StartInfo, string? Error) Build(BatchLaunch launch, string? sparkSubmit, string python)
    {
        if (sparkSubmit is not null)
            return (SparkSubmit(launch, sparkSubmit), null);
        if (!launch.File.EndsWith(".py", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"Cannot run {Path.GetFileName(launch.File)}: without spark-submit (set SPARK_HOME or put it on the PATH) " +
                "LocalLivy runs only .py batches, with python3.");
        }

        var startInfo = new ProcessStartInfo(python) { WorkingDirectory = launch.WorkingFolder };
        startInfo.ArgumentList.Add("-u");
        startInfo.ArgumentList.Add(launch.File);
        foreach (var arg in launch.Args)
            startInfo.ArgumentList.Add(arg);
        if (launch.PyFiles.Count > 0)
            startInfo.Environment["PYTHONPATH"] = string.Join(Path.PathSeparator, launch.PyFiles.Select(PythonPathEntry));
        startInfo.Environment["PYTHONUNBUFFERED"] = "1";
        startInfo.Environment["PYTHONIOENCODING"] = "utf-8";
        return (startInfo, null);
    }

    private static ProcessStartInfo SparkSubmit(BatchLaunch launch, string sparkSubmit)
    {
        var startInfo = new ProcessStartInfo(sparkSubmit) { WorkingDirectory = launch.WorkingFolder };
        var args = startInfo.ArgumentList;
        void Add(string option, string? value)
        {
            if (string.IsNullOrEmpty(value))
                return;
            args.Add(option);
            args.Add(value);
        }

        void AddCount(string option, int value) => Add(option, value > 0 ? value.ToString(CultureInfo.InvariantCulture) : null);
        string? Join(IReadOnlyList<string> paths) => paths.Count == 0 ? null : string.Join(',', paths);

        Add("--master", "local[*]");
        Add("--deploy-mode", "client");
        Add("--name", launch.Name);
        Add("--class", launch.ClassName);
        Add("--jars", Join(launch.Jars));
        Add("--py-files", Join(launch.PyFiles));
        Add("--files", Join(launch.Files));
        Add("--archives", Join(launch.Archives));
        Add("--driver-memory", launch.DriverMemory);
        AddCount("--driver-cores", launch.DriverCores);
        Add("--executor-memory", launch.ExecutorMemory);
        AddCount("--executor-cores", launch.ExecutorCores);
        AddCount("--num-executors", launch.NumExecutors);
        foreach (var (key, value) in launch.Conf.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            Add("--conf", $"{key}={value}");
        args.Add(launch.File);
        foreach (var arg in launch.Args)
            args.Add(arg);
        return startInfo;
    }

    // A .py file is importable from its folder; zips and eggs go on the path themselves.
    private static string PythonPathEntry(string path) =>
        path.EndsWith(".py", StringComparison.OrdinalIgnoreCase) ? Path.GetDirectoryName(path)! : path;
}

/// <summary>A batch with its paths resolved to local files.</summary>
internal sealed record BatchLaunch(
    string File,
    string? ClassName,
    IReadOnlyList<string> Args,
    string Name,
    string WorkingFolder,
    IReadOnlyList<string> Jars,
    IReadOnlyList<string> PyFiles,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Archives,
    string? DriverMemory,
    int DriverCores,
    string? ExecutorMemory,
    int ExecutorCores,
    int NumExecutors,
    IReadOnlyDictionary<string, string> Conf);
