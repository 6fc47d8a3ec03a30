using System.Text.Json.Nodes;
using DagRunner.LocalLivy.Wire;

namespace DagRunner.LocalLivy.Livy;

/// <summary>One statement of a session: <c>waiting → running → available</c>, or cancelled on the way.</summary>
internal sealed class LivyStatement(int id, string code, string kind)
{
    public int Id { get; } = id;
    public string Code { get; } = code;
    public string Kind { get; } = kind;
    public string State { get; set; } = LivyStates.Waiting;
    public JsonObject? Output { get; set; }
    public long Started { get; set; }
    public long Completed { get; set; }
    public bool CancelRequested { get; set; }

    public StatementView View() =>
        new(Id, Code, State, Output?.DeepClone(), State is LivyStates.Available or LivyStates.Cancelled ? 1.0 : 0.0, Started, Completed);
}
