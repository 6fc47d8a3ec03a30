namespace DagRunner.LocalLivy.Execution;

/// <summary>Turns the file URIs of a request into local paths, the way Livy resolves them on a
/// cluster: <c>local:</c> and scheme-less absolute paths are read from the jobs root (the
/// "nodes' local disk"), <c>hdfs:</c> from the WebHDFS root, and <c>file:</c> only inside the jobs
/// root (Livy's local-dir whitelist). Nothing resolves outside those folders.</summary>
internal sealed class JobPaths(string jobsRoot, string hdfsRoot)
{
    private readonly string _jobsRoot = Path.GetFullPath(jobsRoot);
    private readonly string _hdfsRoot = Path.GetFullPath(hdfsRoot);

    /// <summary>The local path of <paramref name="uri"/>, or an error in Livy's words.</summary>
    public PathResolution Resolve(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        // A scheme is a letter then letters, digits, '+', '-' or '.'; one letter is a Windows drive.
        var hasScheme = colon > 1 && char.IsAsciiLetter(uri[0]) && uri[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
        var scheme = hasScheme ? uri[..colon].ToLowerInvariant() : "";
        var rest = hasScheme ? uri[(colon + 1)..] : uri;
        var path = StripAuthority(rest);

        switch (scheme)
        {
            case "":
                return path.StartsWith('/')
                    ? Under(_jobsRoot, path, uri)
                    : PathResolution.Fail($"requirement failed: Local path {uri} is not absolute.");
            case "local":
                return Under(_jobsRoot, path, uri);
            case "hdfs":
                return Under(_hdfsRoot, path, uri);
            case "file":
                var full = Path.GetFullPath(path);
                return IsInside(_jobsRoot, full)
                    ? PathResolution.Ok(full)
                    : PathResolution.Fail($"Local path {full} cannot be added to user sessions.");
            default:
                return PathResolution.Fail($"LocalLivy cannot read '{scheme}:' files ({uri}); use local:, file: or hdfs:.");
        }
    }

    private static PathResolution Under(string root, string path, string uri)
    {
        var full = Path.GetFullPath(Path.Join(root, path.TrimStart('/')));
        return IsInside(root, full)
            ? PathResolution.Ok(full)
            : PathResolution.Fail($"Path {uri} leaves the folder it must stay in.");
    }

    private static bool IsInside(string root, string full) =>
        full.Equals(root, StringComparison.Ordinal) ||
        full.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    // "//host/path" → "/path"; "///path" → "/path".
    private static string StripAuthority(string rest)
    {
        if (!rest.StartsWith("//", StringComparison.Ordinal))
            return rest;
        var slash = rest.IndexOf('/', 2);
        return slash < 0 ? "/" : rest[slash..];
    }
}

/// <summary>A resolved local path, or why the URI was refused.</summary>
internal readonly record struct PathResolution(string? Path, string? Error)
{
    public static PathResolution Ok(string path) => new(path, null);

    public static PathResolution Fail(string error) => new(null, error);
}
