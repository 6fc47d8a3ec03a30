using System.Globalization;
using DagRunner.LocalLivy.Wire;

namespace DagRunner.LocalLivy.Hdfs;

/// <summary>A local folder seen as an HDFS namespace: HDFS paths map inside it and never outside.</summary>
internal sealed class HdfsFolder(string root)
{
    private const long BlockSize = 128L * 1024 * 1024;

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The local path of an absolute HDFS path, or null when it would leave the root.</summary>
    public string? Local(string hdfsPath)
    {
        var full = Path.GetFullPath(Path.Join(Root, hdfsPath.TrimStart('/')));
        var rootWithSlash = Path.EndsInDirectorySeparator(Root) ? Root : Root + Path.DirectorySeparatorChar;
        return full == Root || full.StartsWith(rootWithSlash, StringComparison.Ordinal) ? full : null;
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
