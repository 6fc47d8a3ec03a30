using System.Text;
using DagRunner.Sdk;
using DagRunner.Engine.Execution;

namespace DagRunner.Engine.Logs;

/// <summary>
/// The task log of one attempt: every line goes to the attempt's log file and to the observer,
/// whole lines only, whatever mix of Write and WriteLine the task uses. The file (a <see cref="TaskLogFile"/>)
/// stamps each line with its time on the executor's clock, and is capped at <see cref="MaxFileBytes"/> so a
/// runaway task cannot fill the disk. It is created with the first line: a task that writes nothing
/// costs no file (creating one costs more than a no-op task). Every line is masked by the run's
/// <see cref="SecretMasker"/> before it goes anywhere: what the task prints, its job's output, exceptions.
/// </summary>
internal sealed class TaskLogWriter(string taskId, string path, DagRunObserver observer, SecretMasker secrets, TimeProvider time) : TextWriter
{
    /// <summary>The most an attempt's log file holds; later lines still reach the observer. 1 GiB.</summary>
    public const long MaxFileBytes = 1L << 30;

    private TaskLogFile? _file;

    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();
    private bool _closed;

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Whether a line was written, so the file exists.</summary>
    public bool HasFile
    {
        get
        {
            lock (_gate)
                return _file is not null;
        }
    }

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

            // The file writes each line through: nothing waits here.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                Flush();
                _file?.Dispose();

                // A task abandoned at its timeout may still write: its lines are dropped, not thrown.
                _closed = true;
            }
        }

        base.Dispose(disposing);
    }

    private void Emit()
    {
        var line = secrets.Mask(_pending.ToString());
        _pending.Clear();
        if (_closed)
        {
            return;
        }

        // Appended: a restarted runner that resumes an attempt adds to its log.
        _file ??= new TaskLogFile(path, MaxFileBytes);
        _file.Append(time.GetLocalNow(), line);
        observer.TaskLog(taskId, line);
    }
}
