namespace DagRunner.Testing;

/// <summary>Cancels when a line containing the trigger is written: reacting to progress, not to time.</summary>
public sealed class CancelOnLine(string trigger, CancellationTokenSource cancel) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value?.Contains(trigger, StringComparison.Ordinal) == true)
        {
            cancel.Cancel();
        }
    }
}
