using System.Threading.Channels;

namespace DagRunner.Hosting.Dev;

/// <summary>
/// Turns the burst of file events one save makes (a temp file written, renamed over the original,
/// touched again) into one batch of changed paths, handed out once the folder has been quiet for
/// <see cref="Quiet"/> on the injected clock. Editors' temporary files are left out.
/// </summary>
public sealed class SaveBatcher : IDisposable
{
    /// <summary>The default quiet time: 100 ms, less than a person notices, more than an editor's burst takes.</summary>
    public static readonly TimeSpan DefaultQuiet = TimeSpan.FromMilliseconds(100);

    private readonly Channel<IReadOnlyCollection<string>> _batches = Channel.CreateUnbounded<IReadOnlyCollection<string>>();
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ITimer _timer;

    /// <summary>Creates a batcher on <paramref name="time"/>.</summary>
    public SaveBatcher(TimeProvider time, TimeSpan? quiet = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Quiet = quiet ?? DefaultQuiet;
        _timer = time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How long the folder must stay quiet before a batch is handed out.</summary>
    public TimeSpan Quiet { get; }

    /// <summary>A file event: the path joins the pending batch, and the quiet time starts again.</summary>
    public void Notify(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsEditorTemporary(Path.GetFileName(path)))
            return;
        lock (_gate)
        {
            _pending.Add(path);
            _timer.Change(Quiet, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The next batch of changed paths.</summary>
    public ValueTask<IReadOnlyCollection<string>> NextAsync(CancellationToken cancellationToken) => _batches.Reader.ReadAsync(cancellationToken);

    /// <summary>Whether a file name is an editor's temporary (vim's swap and 4913 probe, emacs's lock and backup, ~ backups, .tmp).</summary>
    public static bool IsEditorTemporary(string name) =>
        string.IsNullOrEmpty(name) || name == "4913" || name.EndsWith('~') || name.StartsWith(".#", StringComparison.Ordinal)
        || name.EndsWith(".swp", StringComparison.Ordinal) || name.EndsWith(".swx", StringComparison.Ordinal)
        || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) || (name.StartsWith('#') && name.EndsWith('#'));

    /// <inheritdoc />
    public void Dispose()
    {
        _timer.Dispose();
        _batches.Writer.TryComplete();
    }

    private void Flush()
    {
        string[] batch;
        lock (_gate)
        {
            if (_pending.Count == 0)
                return;
            batch = [.. _pending.Order(StringComparer.Ordinal)];
            _pending.Clear();
        }

        _batches.Writer.TryWrite(batch);
    }
}
