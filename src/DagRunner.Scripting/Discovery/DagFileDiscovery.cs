namespace DagRunner.Scripting.Discovery;

/// <summary>
/// Finds the DAG files under a folder: every <c>*.csx</c>, except files and folders whose name
/// starts with <c>_</c> or <c>.</c> (helpers for <c>#load</c>) and what <c>.dagignore</c> files exclude.
/// </summary>
internal static class DagFileDiscovery
{
    /// <summary>The DAG files' full paths, in ordinal order of their paths.</summary>
    public static IReadOnlyList<string> Find(string dagsFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dagsFolder);
        var root = Path.GetFullPath(dagsFolder);
        var found = new List<string>();
        if (Directory.Exists(root))
        {
            Walk(root, [], found);
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>Whether a file or folder name marks it as not a DAG file.</summary>
    public static bool IsHidden(string name) => name.StartsWith('_') || name.StartsWith('.');

    private static void Walk(string folder, List<DagIgnore> ignores, List<string> found)
    {
        var own = DagIgnore.TryRead(folder);
        if (own is not null)
        {
            ignores = [.. ignores, own];
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.csx"))
        {
            if (!IsHidden(Path.GetFileName(file)) && !ignores.Exists(i => i.Ignores(file)))
            {
                found.Add(file);
            }
        }

        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            if (!IsHidden(Path.GetFileName(sub)) && !ignores.Exists(i => i.Ignores(sub)))
            {
                Walk(sub, ignores, found);
            }
        }
    }
}
