namespace DagRunner.Hosting.LocalLivy;

/// <summary>The embedded LocalLivy started: where it listens and where its jobs come from.</summary>
public sealed record EmbeddedLivyStarted(Uri BaseUrl, string JobsRoot);
