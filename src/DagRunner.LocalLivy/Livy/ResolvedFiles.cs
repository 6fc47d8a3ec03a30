using DagRunner.LocalLivy.Execution;

namespace DagRunner.LocalLivy.Livy;

/// <summary>The file URIs of a request resolved to local paths, checked when the request arrives
/// as Livy checks them (scheme, whitelist); whether the files exist is found out when the job starts.</summary>
internal sealed record ResolvedFiles(string? File, IReadOnlyList<string> Jars, IReadOnlyList<string> PyFiles, IReadOnlyList<string> Files, IReadOnlyList<string> Archives)
{
    /// <summary>The resolved files, or the first refusal in Livy's words.</summary>
    public static (ResolvedFiles? Files, string? Error) Resolve(JobPaths paths, string? file, JobRequest request)
    {
        string? error = null;
        List<string> All(string field, IReadOnlyList<string> uris)
        {
            var resolved = new List<string>(uris.Count);
            foreach (var uri in uris)
            {
                var result = paths.Resolve(uri, field);
                error ??= result.Error;
                if (result.Path is not null)
                    resolved.Add(result.Path);
            }

            return resolved;
        }

        PathResolution? main = file is null ? null : paths.Resolve(file, "file");
        error = main?.Error;
        var files = new ResolvedFiles(main?.Path, All("jars", request.Jars), All("pyFiles", request.PyFiles), All("files", request.Files), All("archives", request.Archives));
        return error is null ? (files, null) : (null, error);
    }
}
