using System.Text;

namespace DagRunner.Sdk;

/// <summary>
/// Passes text on to another writer with every secret masked. Text that ends with the start of a
/// secret is held until its line ends (or <see cref="Flush"/>), so a secret written in pieces is still
/// found; any other text goes on at once, so a prompt or a live display is not delayed. A line longer
/// than <see cref="MaxPending"/> characters is passed on in parts. Thread-safe; disposing flushes and
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
            PassOnWhatIsSafe();
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return;
        lock (_gate)
        {
            _pending.Append(value);
            PassOnWhatIsSafe();
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

    // Whole lines go on; so does the rest, unless it ends with what could be the start of a secret.
    private void PassOnWhatIsSafe()
    {
        if (_pending.Length >= MaxPending)
        {
            PassOn();
            return;
        }

        var lastLineEnd = LastLineEnd();
        if (lastLineEnd >= 0)
            PassOn(lastLineEnd + 1);
        if (_pending.Length > 0 && !masker.EndsWithPartOfASecret(_pending.ToString()))
            PassOn();
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
        var text = masker.Mask(_pending.ToString(0, length));
        _pending.Remove(0, length);

        // Whole lines go on as lines: a writer downstream may react to WriteLine (a test waiting for one).
        var start = 0;
        for (var end = text.IndexOf('\n', StringComparison.Ordinal); end >= 0; end = text.IndexOf('\n', start))
        {
            inner.WriteLine(text[start..(end > start && text[end - 1] == '\r' ? end - 1 : end)]);
            start = end + 1;
        }

        if (start < text.Length)
            inner.Write(text[start..]);
    }
}
