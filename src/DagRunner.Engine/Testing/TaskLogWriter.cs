using System.Text;

namespace DagRunner.Engine.Testing;

/// <summary>
/// The task log of one attempt: every line goes to the attempt's log file and to the observer,
/// whole lines only, whatever mix of Write and WriteLine the task uses.
/// </summary>
internal sealed class TaskLogWriter(string taskId, StreamWriter file, DagRunObserver observer) : TextWriter
{
    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();
    private bool _closed;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                Emit();
            }
            else if (value != '\r')
            {
                _pending.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var c in value)
            {
                Write(c);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _pending.Append(value);
            Emit();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            if (_pending.Length > 0)
            {
                Emit();
            }

            if (!_closed)
            {
                file.Flush();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                Flush();
                file.Dispose();

                // A task abandoned at its timeout may still write: its lines are dropped, not thrown.
                _closed = true;
            }
        }

        base.Dispose(disposing);
    }

    private void Emit()
    {
        var line = _pending.ToString();
        _pending.Clear();
        if (_closed)
        {
            return;
        }

        file.WriteLine(line);
        observer.TaskLog(taskId, line);
    }
}
