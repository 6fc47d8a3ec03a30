namespace DagRunner.Templating;

/// <summary>The templates folder, and the one rule for a path inside it: relative, without <c>..</c>,
/// and still inside once resolved.</summary>
internal sealed class TemplateFolder(string folder)
{
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

        fullPath = candidate;
        problem = string.Empty;
        return true;
    }

    /// <summary>The path relative to the root with forward slashes, as an author writes it; other paths as they are.</summary>
    public string Relative(string path) =>
        Path.IsPathRooted(path) && path.StartsWith(Root, StringComparison.Ordinal)
            ? Path.GetRelativePath(Root, path).Replace('\\', '/')
            : path;
}
