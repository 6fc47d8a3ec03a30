using System.Text.RegularExpressions;

namespace DagRunner.Cli.Tests;

/// <summary>Standard output that a test can wait on: <see cref="WaitForAsync"/> completes when the text written so far
/// matches, however the command's writers split it.</summary>
internal sealed class WatchedWriter : StringWriter
{
    private readonly Lock _gate = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Seen)> _waits = [];

    public Task<Match> WaitForAsync(Regex pattern)
    {
        var seen = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waits.Add((pattern, seen));
            Check();
        }

        return seen.Task;
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            base.Write(value);
            if (value == '\n')
                Check();
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
            Check();
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            base.Write(buffer, index, count);
            Check();
        }
    }

    public override string ToString()
    {
        lock (_gate)
            return base.ToString();
    }

    private void Check()
    {
        var text = base.ToString();
        foreach (var (pattern, seen) in _waits)
        {
            if (!seen.Task.IsCompleted && pattern.Match(text) is { Success: true } match)
                seen.SetResult(match);
        }
    }
}
