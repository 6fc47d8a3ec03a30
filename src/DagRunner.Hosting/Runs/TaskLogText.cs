namespace DagRunner.Hosting.Runs;

/// <summary>An attempt's task log as a front end shows it, secrets masked.</summary>
/// <param name="Text">The log's text: all of it, or its last part when <paramref name="Truncated"/>.</param>
/// <param name="Truncated">Whether only the end of a longer log is given.</param>
public sealed record TaskLogText(string Text, bool Truncated);
