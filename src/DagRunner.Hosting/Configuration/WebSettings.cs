using System.Collections.Immutable;

namespace DagRunner.Hosting.Configuration;

/// <summary>The web UI's settings in force.</summary>
public sealed record WebSettings
{
    /// <summary>Default of <see cref="Host"/>.</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>Default of <see cref="Port"/>.</summary>
    public const int DefaultPort = 8080;

    /// <summary>Default of <see cref="SessionIdle"/>, in minutes.</summary>
    public const int DefaultSessionMinutes = 480;

    /// <summary>The address to listen on. Default <c>127.0.0.1</c>.</summary>
    public string Host { get; init; } = DefaultHost;

    /// <summary>The port; 0 picks a free one. Default 8080.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>How long a session lasts without a request. Default 8 hours.</summary>
    public TimeSpan SessionIdle { get; init; } = TimeSpan.FromMinutes(DefaultSessionMinutes);

    /// <summary>Who may sign in; none means no sign-in (and loopback only).</summary>
    public ImmutableArray<WebUser> Users { get; init; } = [];
}
