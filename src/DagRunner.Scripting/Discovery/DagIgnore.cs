using DotNet.Globbing;

namespace DagRunner.Scripting.Discovery;

/// <summary>
/// The patterns of one <c>.dagignore</c> file: one glob per line, <c>#</c> starts a comment.
/// A pattern without <c>/</c> matches a file or folder name at any depth below the
/// <c>.dagignore</c>; a pattern with <c>/</c> matches the path relative to it.
/// </summary>
internal sealed class DagIgnore
{
    public const string FileName = ".dagignore";

    private static readonly GlobOptions Options = new() { Evaluation = { CaseInsensitive = false } };

    private readonly List<Glob> _namePatterns = [];
    private readonly List<Glob> _pathPatterns = [];

    private DagIgnore(string folder) => Folder = folder;

    public string Folder { get; }

    public static DagIgnore? TryRead(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var ignore = new DagIgnore(folder);
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            line = line.TrimEnd('/');
            if (line.Contains('/', StringComparison.Ordinal))
            {
                line = line.TrimStart('/');
                ignore._pathPatterns.Add(Glob.Parse(line, Options));

                // "old/**" also names the folder "old" itself, so the walk can skip it whole.
                if (line.EndsWith("/**", StringComparison.Ordinal))
                {
                    ignore._pathPatterns.Add(Glob.Parse(line[..^3], Options));
                }
            }
            else
            {
                ignore._namePatterns.Add(Glob.Parse(line, Options));
            }
        }

        return ignore;
    }

    /// <summary>Whether the file or folder at <paramref name="fullPath"/> (below <see cref="Folder"/>) is ignored.</summary>
    public bool Ignores(string fullPath)
    {
        var name = Path.GetFileName(fullPath);
        if (_namePatterns.Exists(g => g.IsMatch(name)))
        {
            return true;
        }

        var relative = Path.GetRelativePath(Folder, fullPath).Replace('\\', '/');
        return _pathPatterns.Exists(g => g.IsMatch(relative));
    }
}
