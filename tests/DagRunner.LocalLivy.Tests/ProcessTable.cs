namespace DagRunner.LocalLivy.Tests;

/// <summary>The machine's running processes, from Linux's /proc.</summary>
internal static class ProcessTable
{
    /// <summary>Pids of live (not zombie) processes whose command line contains <paramref name="marker"/>.</summary>
    public static IReadOnlyList<int> Running(string marker)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
                continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Join(folder, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Join(folder, "stat"));
                if (commandLine.Contains(marker, StringComparison.Ordinal) && stat[stat.LastIndexOf(')') + 2] is not ('Z' or 'X'))
                    found.Add(pid);
            }
            catch (IOException)
            {
                // It ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Number of open file descriptors of this process.</summary>
    public static int OpenFiles() => Directory.GetFiles("/proc/self/fd").Length;
}
