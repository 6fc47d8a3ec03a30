namespace DagRunner.Clients.Yarn;

internal sealed record YarnAppList(IReadOnlyList<YarnApp>? App);
