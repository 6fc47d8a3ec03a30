namespace DagRunner.Templating;

/// <summary>The templates folder, and the one rule for a path inside it: relative, without <c>..</c>,
/// and still inside once resolved.</summary>
internal sealed class TemplateFolder(string folder)
{
    // Where the root itself really is, found once: links above the folder are the machine's business.
    private string? _realRoot;

    public string Root { get; } = Path.GetFullPath(folder);

    public bool TryResolve(string relativePath, out string fullPath, out string problem)
    {
        fullPath = string.Empty;
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            problem = "the path is empty.";
            return false;
        }

        if (Path.IsPathRooted(relativePath) || relativePath.StartsWith('/') || relativePath.StartsWith('\\'))
        {
            problem = "absolute paths are refused; give a path relative to the templates folder.";
            return false;
        }

        if (relativePath.Replace('\\', '/').Split('/').Contains(".."))
        {
            problem = "'..' is refused; templates resolve only inside the templates folder.";
            return false;
        }

        var candidate = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!candidate.StartsWith(Path.EndsInDirectorySeparator(Root) ? Root : Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            problem = $"the path resolves outside the templates folder ({Root}).";
            return false;
        }

        // A symbolic link inside the folder may point anywhere: what counts is where the path really leads.
        string real, realRoot;
        try
        {
            real = RealPath(candidate, 0);
            realRoot = _realRoot ??= RealPath(Root, 0);
        }
        catch (IOException e)
        {
            problem = e.Message;
            return false;
        }

        if (real != realRoot && !real.StartsWith(Path.EndsInDirectorySeparator(realRoot) ? realRoot : realRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            problem = $"the path leads outside the templates folder through a symbolic link (to {real}).";
            return false;
        }

        fullPath = candidate;
        problem = string.Empty;
        return true;
    }

    // The path with every symbolic link on the way resolved, component by component.
    private static string RealPath(string path, int depth)
    {
        if (depth > 40)
            throw new IOException($"Too many levels of symbolic links under {path}.");
        var root = Path.GetPathRoot(path) ?? string.Empty;
        var current = root;
        foreach (var part in path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Join(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                next = RealPath(Path.GetFullPath(target.FullName), depth + 1);
            current = next;
        }

        return current;
    }

    /// <summary>The path relative to the root with forward slashes, as an author writes it; other paths as they are.</summary>
    public string Relative(string path) =>
        Path.IsPathRooted(path) && path.StartsWith(Root, StringComparison.Ordinal)
            ? Path.GetRelativePath(Root, path).Replace('\\', '/')
            : path;
}
