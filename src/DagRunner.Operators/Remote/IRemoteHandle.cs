namespace DagRunner.Operators.Remote;

/// <summary>A remote job's handle as an operator records it in its task's checkpoint, able to say what
/// it is in a few words for a front end (<c>dags state</c>, the web UI). A method, not a property, so
/// the recorded JSON stays what it was.</summary>
public interface IRemoteHandle
{
    /// <summary>The remote job in a few words, e.g. <c>batch 7 app application_1_0001</c>.</summary>
    string Describe();
}
