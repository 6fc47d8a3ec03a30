namespace DagRunner.LocalLivy.Execution;

/// <summary>An app's complete driver output in a file (the container log), written as lines arrive.</summary>
internal sealed class DriverLog(string path) : IAsyncDisposable
{
    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };
    private readonly Lock _lock = new();

    public string Path { get; } = path;

    public void Write(string line)
    {
        lock (_lock)
            _writer.WriteLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
    }
}
