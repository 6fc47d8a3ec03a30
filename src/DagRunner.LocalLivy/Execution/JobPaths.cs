namespace DagRunner.LocalLivy.Execution;

/// <summary>Turns the file URIs of a request into local paths, the way Livy resolves them on a
/// cluster: <c>local:</c> and scheme-less absolute paths are read from the jobs root (the
/// "nodes' local disk"), <c>hdfs:</c> from the WebHDFS root, and <c>file:</c> only inside the jobs
/// root (Livy's local-dir whitelist). Nothing resolves outside those folders, as written or through
/// a symbolic link.</summary>
internal sealed class JobPaths(string jobsRoot, string hdfsRoot)
{
    private readonly ConfinedFolder _jobsRoot = new(jobsRoot);
    private readonly ConfinedFolder _hdfsRoot = new(hdfsRoot);

    /// <summary>The local path of <paramref name="uri"/> (given in the request's <paramref name="field"/>),
    /// links resolved, or an error in Livy's words.</summary>
    public PathResolution Resolve(string uri, string field = "file")
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
                    ? Under(_jobsRoot, path, uri, field)
                    : PathResolution.Fail($"requirement failed: Local path {uri} is not absolute.");
            case "local":
                return Under(_jobsRoot, path, uri, field);
            case "hdfs":
                return Under(_hdfsRoot, path, uri, field);
            case "file":
                var full = Path.GetFullPath(path);
                return _jobsRoot.Check(full, out var real) switch
                {
                    Confinement.Inside => PathResolution.Ok(full),
                    Confinement.OutsideThroughLink => ThroughLink(uri, field, real),
                    _ => PathResolution.Fail($"Local path {full} cannot be added to user sessions."),
                };
            default:
                return PathResolution.Fail($"LocalLivy cannot read '{scheme}:' files ({uri}); use local:, file: or hdfs:.");
        }
    }

    // The path as written is kept: a link that stays inside is used as a link.
    private static PathResolution Under(ConfinedFolder root, string path, string uri, string field)
    {
        var full = root.Join(path);
        return root.Check(full, out var real) switch
        {
            Confinement.Inside => PathResolution.Ok(full),
            Confinement.OutsideThroughLink => ThroughLink(uri, field, real),
            _ => PathResolution.Fail($"Path {uri} leaves the folder it must stay in."),
        };
    }

    private static PathResolution ThroughLink(string uri, string field, string real) =>
        PathResolution.Fail($"{field}: path {uri} goes through a symbolic link to {real}, outside the folder it must stay in.");

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
