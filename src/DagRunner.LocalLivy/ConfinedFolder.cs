namespace DagRunner.LocalLivy;

/// <summary>A folder that paths must stay in (the jobs root, the WebHDFS root). A path is inside
/// only if it is inside both as written (no <c>..</c> out) and as the file system resolves it:
/// every symbolic link on the way, the last one included, is followed before the check, so a link
/// inside the folder that points outside it cannot be used to read, write or run what is outside.
/// Links that stay inside are fine.</summary>
internal sealed class ConfinedFolder(string root)
{
    // Linux gives up after 40 links on one path (ELOOP); so does this.
    private const int MaxLinks = 40;

    /// <summary>The folder as given, made absolute.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The absolute path of <paramref name="pathFromRoot"/> (leading slashes ignored), as written.</summary>
    public string Join(string pathFromRoot) => Path.GetFullPath(Path.Join(Root, pathFromRoot.TrimStart('/', '\\')));

    /// <summary>Where the absolute <paramref name="fullPath"/> is: <see cref="Confinement.Inside"/> with
    /// its resolved path in <paramref name="realPath"/> (what the file system opens), or outside
    /// as written, or outside through a link (then <paramref name="realPath"/> says where it leads).</summary>
    public Confinement Check(string fullPath, out string realPath)
    {
        realPath = fullPath;
        if (!IsInside(Root, fullPath))
            return Confinement.Outside;
        // The root itself may be reached through a link (/tmp on macOS): compare resolved with resolved.
        var realRoot = RealPath(Root);
        var real = RealPath(fullPath);
        realPath = real ?? fullPath;
        return realRoot is not null && real is not null && IsInside(realRoot, real)
            ? Confinement.Inside
            : Confinement.OutsideThroughLink;
    }

    /// <summary>Whether <paramref name="full"/> is <paramref name="root"/> or below it (both absolute and normalised).</summary>
    public static bool IsInside(string root, string full) =>
        full.Equals(root, StringComparison.Ordinal) ||
        full.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link resolved, as <c>realpath(3)</c> does; the part
    /// that does not exist yet (a file about to be created) is kept as written. Null for a loop of links.</summary>
    public static string? RealPath(string fullPath)
    {
        var pathRoot = Path.GetPathRoot(fullPath) ?? "/";
        var pending = new Stack<string>(Parts(fullPath[pathRoot.Length..]).Reverse());
        var current = pathRoot;
        var links = 0;
        var missing = false;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                // `current` is already resolved, so its parent is the real parent.
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            var target = missing ? null : LinkTarget(next);
            if (target is null)
            {
                missing = missing || !(File.Exists(next) || Directory.Exists(next));
                current = next;
                continue;
            }

            if (++links > MaxLinks)
                return null;
            // The target's own parts are resolved in turn: it may pass through links itself.
            foreach (var targetPart in Parts(target).Reverse())
                pending.Push(targetPart);
            if (Path.IsPathRooted(target))
                current = Path.GetPathRoot(target) ?? pathRoot;
        }

        return current;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not readable as a link: treated as a plain entry, which the open that follows judges.
            return null;
        }
    }

    private static string[] Parts(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Where a path is relative to a <see cref="ConfinedFolder"/>.</summary>
internal enum Confinement
{
    Inside,
    Outside,
    OutsideThroughLink,
}
