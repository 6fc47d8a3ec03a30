namespace DagRunner.Web;

/// <summary>Where the web UI listens.</summary>
public sealed record WebOptions
{
    /// <summary>The address to listen on. Default: <c>127.0.0.1</c>; only loopback addresses are
    /// accepted until the UI has authentication.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one. Default: 8080.</summary>
    public int Port { get; init; } = 8080;
}
