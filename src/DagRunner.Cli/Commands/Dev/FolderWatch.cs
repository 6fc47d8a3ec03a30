using DagRunner.Hosting.Dev;

namespace DagRunner.Cli.Commands.Dev;

/// <summary>A file watcher over a folder and its subfolders that feeds a <see cref="SaveBatcher"/>.</summary>
internal static class FolderWatch
{
    public static FileSystemWatcher Start(string folder, SaveBatcher batcher, CliIo io)
    {
        var watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
        watcher.Changed += (_, e) => batcher.Notify(e.FullPath);
        watcher.Created += (_, e) => batcher.Notify(e.FullPath);
        watcher.Deleted += (_, e) => batcher.Notify(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            batcher.Notify(e.OldFullPath);
            batcher.Notify(e.FullPath);
        };

        // The watcher lost events (its buffer overflowed, or the system's limit on watches was hit):
        // say so, and check the whole folder, which is always right.
        watcher.Error += (_, e) =>
        {
            io.Error.WriteLine($"The file watcher on {io.Display(folder)} lost events ({e.GetException().Message}); checking the whole folder again.");
            batcher.Notify(folder);
        };
        watcher.InternalBufferSize = 64 * 1024;
        watcher.EnableRaisingEvents = true;
        return watcher;
    }
}
