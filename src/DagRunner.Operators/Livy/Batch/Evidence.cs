namespace DagRunner.Operators.Livy.Batch;

/// <summary>What one source said about how the batch ended; <paramref name="Where"/> is the source's
/// address (credentials masked) when it could not be asked.</summary>
internal sealed record Evidence(string Source, Verdict Verdict, string Said, string? Where = null)
{
    public Evidence(string source, bool succeeded, string said)
        : this(source, succeeded ? Verdict.Succeeded : Verdict.Failed, said)
    {
    }

    public bool Succeeded => Verdict == Verdict.Succeeded;
}
