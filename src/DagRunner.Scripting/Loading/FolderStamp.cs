using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DagRunner.Scripting.Loading;

/// <summary>
/// A cheap fingerprint of a folder's files (path, size and time of last write of what each finally
/// points to), to tell whether anything in it changed since the previous load without reading a
/// byte of content. Dot-files and dot-folders (.git, an editor's swap files) are not part of it.
/// The loader and the DAG catalog of the hosts use these same rules, so what one ignores the other
/// ignores too.
/// </summary>
public static class FolderStamp
{
    /// <summary>The templates folder: every file in it (empty when the folder does not exist).</summary>
    public static string Of(string folder) => Compute(folder, _ => true);

    /// <summary>
    /// The whole DAGs folder, scripts included, but not editors' backups: what tells a host that the
    /// folder must be loaded again (empty when the folder does not exist).
    /// </summary>
    public static string OfDagsFolder(string dagsFolder) =>
        Compute(dagsFolder, path => !IsEditorBackup(Path.GetFileName(path)));

    /// <summary>
    /// The DAGs folder's other files: everything but C# scripts (whose content is in each DAG
    /// file's compile key) and editors' backups. A DAG file may read them while it runs (a YAML
    /// config a factory builds DAGs from), so a change to one runs every file again.
    /// </summary>
    internal static string OfDataFiles(string dagsFolder) =>
        Compute(dagsFolder, path => !path.EndsWith(".csx", StringComparison.OrdinalIgnoreCase) && !IsEditorBackup(Path.GetFileName(path)));

    // emacs's autosave (#x#) and backups (x~), JetBrains' safe-write files.
    private static bool IsEditorBackup(string name) =>
        name.EndsWith('~') || (name.StartsWith('#') && name.EndsWith('#')) || name.Contains("___jb_", StringComparison.Ordinal);

    private static string Compute(string folder, Func<string, bool> include)
    {
        if (!Directory.Exists(folder))
            return string.Empty;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options).Where(include).Order(StringComparer.Ordinal))
            hash.AppendData(Encoding.UTF8.GetBytes(Describe(file) + "\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // A symlink's own size and time say nothing of its target's content (a Kubernetes ConfigMap
    // swaps a link to change every file at once): the file it finally points to is described.
    private static string Describe(string file)
    {
        try
        {
            FileSystemInfo info = new FileInfo(file);
            if (info.LinkTarget is not null)
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            return info is FileInfo { Exists: true } target
                ? string.Create(CultureInfo.InvariantCulture, $"{file}|{target.FullName}|{target.Length}|{target.LastWriteTimeUtc.Ticks}")
                : file + "|missing";
        }
        catch (IOException)
        {
            // A link loop, or a file gone since it was listed.
            return file + "|unreadable";
        }
    }
}
