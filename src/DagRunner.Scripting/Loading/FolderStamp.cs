using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DagRunner.Scripting.Loading;

/// <summary>
/// A cheap fingerprint of a folder's files (path, size and time of last write), to tell whether
/// anything in it changed since the previous load without reading a byte of content.
/// </summary>
internal static class FolderStamp
{
    /// <summary>The templates folder: every file in it.</summary>
    public static string Of(string folder) => Compute(folder, _ => true);

    /// <summary>
    /// The DAGs folder's other files: everything but C# scripts (whose content is in each DAG
    /// file's compile key) and dot-files. A DAG file may read them while it runs (a YAML config
    /// a factory builds DAGs from), so a change to one runs every file again.
    /// </summary>
    public static string OfDataFiles(string dagsFolder) =>
        Compute(dagsFolder, path => !path.EndsWith(".csx", StringComparison.OrdinalIgnoreCase));

    private static string Compute(string folder, Func<string, bool> include)
    {
        if (!Directory.Exists(folder))
            return string.Empty;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options).Where(include).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            if (!info.Exists)
                continue;
            hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{file}|{info.Length}|{info.LastWriteTimeUtc.Ticks}\n")));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
