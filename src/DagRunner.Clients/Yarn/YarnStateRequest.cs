namespace DagRunner.Clients.Yarn;

internal sealed record YarnStateRequest(string State);
