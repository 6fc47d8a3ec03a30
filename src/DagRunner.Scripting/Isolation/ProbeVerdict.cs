using DagRunner.Engine.Definitions;

namespace DagRunner.Scripting.Isolation;

/// <summary>What the load probe decided about one version of a file: it may run in the runner, or
/// it is an import error. <see cref="Remember"/> is false for what may go differently next time
/// (a timeout on a busy machine, a file that changed meanwhile).</summary>
internal sealed record ProbeVerdict(ImportError? Error, bool Remember)
{
    public static readonly ProbeVerdict Passed = new(null, true);

    public bool Loaded => Error is null;
}
