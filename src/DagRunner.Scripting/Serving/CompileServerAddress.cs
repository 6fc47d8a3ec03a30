using System.Security.Cryptography;
using System.Text;

namespace DagRunner.Scripting.Serving;

/// <summary>
/// Where the server of one DagRunner build listens: a Unix domain socket named after the stamp of what
/// compiled files depend on (<see cref="Compilation.ScriptAssemblies.Stamp"/>), so a process only ever talks
/// to a server that compiles exactly as it would (another build has another socket; its server idles out).
/// </summary>
internal sealed record CompileServerAddress(string Folder, string Socket, string Lock)
{
    // Unix domain socket paths are limited to 108 bytes on Linux (104 on macOS), the terminator included.
    private const int MaxSocketPath = 100;

    /// <summary>The address for <paramref name="stamp"/> in <paramref name="folder"/>, or null when the path would be
    /// too long for a socket (a deep home folder): then there is no server.</summary>
    public static CompileServerAddress? For(string folder, string stamp)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stamp)))[..16];
        var full = Path.GetFullPath(folder);
        var socket = Path.Combine(full, name + ".sock");
        return Encoding.UTF8.GetByteCount(socket) > MaxSocketPath ? null : new CompileServerAddress(full, socket, Path.Combine(full, name + ".lock"));
    }

    /// <summary>Creates the folder, readable by its owner only (the sockets let anyone who can reach them ask for
    /// compiles of files on this machine).</summary>
    public void CreateFolder()
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(Folder);
        else
            Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
