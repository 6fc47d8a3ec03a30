namespace DagRunner.Operators;

/// <summary>Where <c>Statement.FromTemplate</c> and <c>Statement.FromFile</c> paths are read from:
/// the templates folder. Offered by the host through the task context's services.</summary>
public sealed record StatementFolders(string TemplatesFolder);
