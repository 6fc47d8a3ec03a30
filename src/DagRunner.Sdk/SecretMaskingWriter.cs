using System.Text;

namespace DagRunner.Sdk;

/// <summary>
/// Passes text on to another writer with every secret masked. Text is held until its line ends (or
/// <see cref="Flush"/>), so a secret written in pieces is still found; a line longer than
/// <see cref="MaxPending"/> characters is passed on in parts. Thread-safe; disposing flushes and
/// leaves the inner writer open (it is the process's console, or a caller's).
/// </summary>
internal sealed class SecretMaskingWriter(TextWriter inner, SecretMasker masker) : TextWriter(inner.FormatProvider)
{
    /// <summary>The most text held back waiting for the end of its line.</summary>
    public const int MaxPending = 64 * 1024;

    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => inner.Encoding;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine's setter accepts null (it means the default).
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            _pending.Append(value);
            if (value == '\n' || _pending.Length >= MaxPending)
                PassOn();
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return;
        lock (_gate)
        {
            _pending.Append(value);
            var lastLineEnd = LastLineEnd();
            if (lastLineEnd >= 0 || _pending.Length >= MaxPending)
                PassOn(lastLineEnd >= 0 && _pending.Length < MaxPending ? lastLineEnd + 1 : _pending.Length);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _pending.Append(value).Append(inner.NewLine);
            PassOn();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            PassOn();
            inner.Flush();
        }
    }

    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Flush();
        base.Dispose(disposing);
    }

    private int LastLineEnd()
    {
        for (var i = _pending.Length - 1; i >= 0; i--)
        {
            if (_pending[i] == '\n')
                return i;
        }

        return -1;
    }

    private void PassOn(int length = -1)
    {
        if (_pending.Length == 0)
            return;
        if (length < 0 || length > _pending.Length)
            length = _pending.Length;
        var text = _pending.ToString(0, length);
        _pending.Remove(0, length);
        inner.Write(masker.Mask(text));
    }
}
