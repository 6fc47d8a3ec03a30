using DagRunner.Operators.Remote;

namespace DagRunner.Operators.Livy.Session;

/// <summary>What a session task has done so far, recorded before it waits on anything: the session, the
/// outputs of the statements that finished, and the statement running now. A restarted runner takes
/// the session over from there instead of starting again.</summary>
/// <param name="SessionId">Livy's id of the session.</param>
/// <param name="Name">The session's name (unique per attempt).</param>
/// <param name="Outputs">The outputs of the statements that finished, in order.</param>
/// <param name="RunningStatementId">Livy's id of the statement submitted and not yet finished; null between statements.</param>
public sealed record LivySessionHandle(string SessionId, string Name, IReadOnlyList<string?> Outputs, string? RunningStatementId) : IRemoteHandle
{
    /// <summary>The kind a session handle is recorded under in the task's checkpoint (and the run store).</summary>
    public const string Kind = "livy_session";

    /// <inheritdoc/>
    public string Describe() => $"session {SessionId}, {Outputs.Count} statement(s) done";
}
