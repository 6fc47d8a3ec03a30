using System.Globalization;
using DagRunner.LocalLivy.Wire;

namespace DagRunner.LocalLivy.Hdfs;

/// <summary>A local folder seen as an HDFS namespace: HDFS paths map inside it and never outside,
/// as written or through a symbolic link.</summary>
internal sealed class HdfsFolder(string root)
{
    private const long BlockSize = 128L * 1024 * 1024;
    private readonly ConfinedFolder _folder = new(root);

    public string Root => _folder.Root;

    /// <summary>The local path of an absolute HDFS path, or null with the reason in
    /// <paramref name="refusal"/> when it would leave the root, as written or through a link.</summary>
    public string? Local(string hdfsPath, out string? refusal)
    {
        refusal = null;
        var full = _folder.Join(hdfsPath);
        switch (_folder.Check(full, out _))
        {
            case Confinement.Inside:
                return full;
            case Confinement.OutsideThroughLink:
                refusal = $"Path {hdfsPath} goes through a symbolic link that leads outside the file system.";
                return null;
            default:
                refusal = $"Path {hdfsPath} is outside the file system.";
                return null;
        }
    }

    public static FileStatusView Status(FileSystemInfo info, string pathSuffix)
    {
        var directory = info is DirectoryInfo;
        var length = info is FileInfo file ? file.Length : 0;
        var children = info is DirectoryInfo dir ? dir.EnumerateFileSystemInfos().Count() : 0;
        return new FileStatusView(
            AccessTime: directory ? 0 : new DateTimeOffset(info.LastAccessTimeUtc).ToUnixTimeMilliseconds(),
            BlockSize: directory ? 0 : BlockSize,
            ChildrenNum: children,
            FileId: 16384 + (info.FullName.GetHashCode(StringComparison.Ordinal) & 0x3fffffff),
            Group: "supergroup",
            Length: length,
            ModificationTime: new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds(),
            Owner: Environment.UserName,
            PathSuffix: pathSuffix,
            Permission: Permission(info),
            Replication: directory ? 0 : 1,
            StoragePolicy: 0,
            Type: directory ? "DIRECTORY" : "FILE");
    }

    private static string Permission(FileSystemInfo info)
    {
        if (OperatingSystem.IsWindows())
            return info is DirectoryInfo ? "755" : "644";
        var mode = (int)info.UnixFileMode & 0x1ff;
        return Convert.ToString(mode, 8).ToString(CultureInfo.InvariantCulture);
    }
}
