namespace DagRunner.Hosting.Dev;

/// <summary>
/// A file watcher over a folder and its subfolders that feeds a <see cref="SaveBatcher"/>; for a
/// folder that does not exist yet (a project without templates), one that starts when it is created.
/// When the watcher loses events, <c>lostEvents</c> is told (folder, cause) and the whole folder counts as saved.
/// </summary>
public sealed class FolderWatch : IDisposable
{
    private readonly Lock _gate = new();
    private FileSystemWatcher? _parent;
    private FileSystemWatcher? _folder;
    private bool _disposed;

    private FolderWatch()
    {
    }

    /// <summary>Whether the folder itself is watched (it exists, or appeared since).</summary>
    public bool Watching
    {
        get
        {
            lock (_gate)
                return _folder is not null;
        }
    }

    /// <summary>Watches <paramref name="folder"/> (or waits for it) and feeds <paramref name="batcher"/>.</summary>
    public static FolderWatch Start(string folder, SaveBatcher batcher, Action<string, Exception> lostEvents)
    {
        var watch = new FolderWatch();
        var full = Path.GetFullPath(folder);
        if (Directory.Exists(full))
        {
            watch._folder = Watch(full, batcher, lostEvents);
            return watch;
        }

        // Not there yet: its parent is watched for it, and its first files are a save like any other.
        if (Path.GetDirectoryName(full) is { } parent && Directory.Exists(parent))
        {
            var waiting = new FileSystemWatcher(parent, Path.GetFileName(full)) { NotifyFilter = NotifyFilters.DirectoryName };
            void Appeared(string path)
            {
                if (path != full || !Directory.Exists(full))
                    return;
                lock (watch._gate)
                {
                    if (watch._disposed || watch._folder is not null)
                        return;
                    watch._folder = Watch(full, batcher, lostEvents);
                }

                batcher.Notify(full);
            }

            waiting.Created += (_, e) => Appeared(e.FullPath);
            waiting.Renamed += (_, e) => Appeared(e.FullPath);
            waiting.EnableRaisingEvents = true;
            watch._parent = waiting;
        }

        return watch;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _parent?.Dispose();
            _folder?.Dispose();
        }
    }

    private static FileSystemWatcher Watch(string folder, SaveBatcher batcher, Action<string, Exception> lostEvents)
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
            lostEvents(folder, e.GetException());
            batcher.Notify(folder);
        };
        watcher.InternalBufferSize = 64 * 1024;
        watcher.EnableRaisingEvents = true;
        return watcher;
    }
}
