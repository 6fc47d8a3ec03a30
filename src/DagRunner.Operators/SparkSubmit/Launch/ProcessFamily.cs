using System.Diagnostics;
using System.Globalization;

namespace DagRunner.Operators.SparkSubmit.Launch;

/// <summary>A process's descendants as /proc shows them, each with its start time, so that the ones still there
/// after the process itself ended can be killed without hitting a pid the system has given to someone else.</summary>
internal static class ProcessFamily
{
    public static IReadOnlyList<(int Pid, long Started)> Descendants(int root)
    {
        if (!Directory.Exists("/proc"))
            return [];
        var parents = new Dictionary<int, List<(int Pid, long Started)>>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || Stat(pid) is not { } stat)
                continue;
            if (!parents.TryGetValue(stat.Parent, out var children))
                parents[stat.Parent] = children = [];
            children.Add((pid, stat.Started));
        }

        var found = new List<(int, long)>();
        var next = new Queue<int>([root]);
        while (next.TryDequeue(out var parent))
        {
            foreach (var child in parents.GetValueOrDefault(parent) ?? [])
            {
                found.Add(child);
                next.Enqueue(child.Pid);
            }
        }

        return found;
    }

    /// <summary>SIGKILLs each of <paramref name="family"/> that is still the same process.</summary>
    public static void KillSurvivors(IReadOnlyList<(int Pid, long Started)> family)
    {
        foreach (var (pid, started) in family)
        {
            if (Stat(pid) is not { } now || now.Started != started)
                continue;
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // gone meanwhile
            }
        }
    }

    // Fields 4 (parent pid) and 22 (start time) of /proc/<pid>/stat, read after the command name's ')'.
    private static (int Parent, long Started)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
