namespace DagRunner.LocalLivy.Livy;

/// <summary>The last lines of one output stream, like Livy's <c>livy.cache-log.size</c> window:
/// older lines roll out, so positions shift once the window is full.</summary>
internal sealed class LogBuffer(int capacity)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    public void Add(string line)
    {
        lock (_lock)
        {
            if (_lines.Count == capacity)
                _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    public string[] Snapshot()
    {
        lock (_lock)
            return [.. _lines];
    }
}
