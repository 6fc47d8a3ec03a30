namespace DagRunner.Clients.Yarn;

internal sealed record YarnAppsAnswer(YarnAppList? Apps);
