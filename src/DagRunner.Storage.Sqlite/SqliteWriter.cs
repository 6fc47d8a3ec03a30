using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite;

/// <summary>
/// The one writer: changes queue up and a single loop commits whatever is waiting in one
/// transaction (group commit), so a thousand task transitions cost a few fsyncs, not a thousand.
/// A caller's change is durable when its task completes. A change that fails is retried alone, so
/// one bad change never fails its neighbours.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly Channel<Change> _queue = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private readonly SqliteCommandFactory _factory;
    private readonly Task _loop;

    public SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _factory = new SqliteCommandFactory(connection, _prepared);
        _loop = Task.Factory.StartNew(Loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public Task WriteAsync(Action<SqliteCommandFactory> change, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new Change(change, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(item))
            throw new ObjectDisposedException(nameof(SqliteWriter), "The run store is closed.");
        // The change is committed (or not) whatever the caller's token does later: waiting is all it may stop.
        return item.Done.Task.WaitAsync(cancellationToken);
    }

    private void Loop()
    {
        var batch = new List<Change>(MaxBatch);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                batch.Add(item);
            try
            {
                Commit(batch);
                foreach (var item in batch)
                    item.Done.TrySetResult();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                foreach (var item in batch)
                {
                    try
                    {
                        Commit([item]);
                        item.Done.TrySetResult();
                    }
                    catch (Exception alone) when (alone is not OutOfMemoryException)
                    {
                        item.Done.TrySetException(alone);
                    }
                }
            }
        }
    }

    private void Commit(IReadOnlyList<Change> changes)
    {
        using var transaction = _connection.BeginTransaction();
        _factory.Transaction = transaction;
        foreach (var change in changes)
            change.Apply(_factory);
        transaction.Commit();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        foreach (var command in _prepared.Values)
            await command.DisposeAsync().ConfigureAwait(false);
    }

    private sealed record Change(Action<SqliteCommandFactory> Apply, TaskCompletionSource Done);
}
