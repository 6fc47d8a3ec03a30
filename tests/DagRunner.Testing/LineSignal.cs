namespace DagRunner.Testing;

/// <summary>A log that can be awaited: a test reacts when a line containing a text is written
/// (progress, not time). Safe to read while a task writes to it.</summary>
public sealed class LineSignal : StringWriter
{
    private readonly Lock _lock = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            base.WriteLine(value);
            foreach (var (text, seen) in _waits.Where(w => value?.Contains(w.Text, StringComparison.Ordinal) == true).ToList())
            {
                seen.TrySetResult();
                _waits.Remove((text, seen));
            }
        }
    }

    public override string ToString()
    {
        lock (_lock)
            return base.ToString();
    }

    /// <summary>Completes when a line containing <paramref name="text"/> is (or was) written.</summary>
    public Task WaitForAsync(string text, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (base.ToString().Contains(text, StringComparison.Ordinal))
                return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((text, seen));
            return seen.Task.WaitAsync(cancellationToken);
        }
    }
}
