namespace DagRunner.Hosting.LocalLivy;

/// <summary>Where a LocalLivy serves: its URL, and the folders its jobs and WebHDFS files come from.</summary>
public sealed record LocalLivyServed(Uri BaseUrl, string JobsRoot, string HdfsRoot);
