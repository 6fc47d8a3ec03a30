namespace DagRunner.LocalLivy.Execution;

/// <summary>An app's complete driver output in a file (the container log), written as lines arrive.
/// Lines that arrive after it is closed (from a process the job left behind) are dropped.</summary>
internal sealed class DriverLog(string path) : IAsyncDisposable
{
    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };
    private readonly Lock _lock = new();
    private bool _closed;

    public string Path { get; } = path;

    public void Write(string line)
    {
        lock (_lock)
        {
            if (!_closed)
                _writer.WriteLine(line);
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_closed)
                return ValueTask.CompletedTask;
            _closed = true;
            _writer.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
