using System.Collections.Immutable;
using DagRunner.Hosting.Configuration;

namespace DagRunner.Web;

/// <summary>Where the web UI listens and who may sign in (from <c>dagrunner.json</c>'s <c>web</c> section,
/// <see cref="From"/>, with the command's flags over it).</summary>
public sealed record WebOptions
{
    /// <summary>The address to listen on: an IP address or a host name. Default: <c>127.0.0.1</c>. An address
    /// other than loopback is refused unless <see cref="Users"/> has someone.</summary>
    public string Host { get; init; } = WebSettings.DefaultHost;

    /// <summary>The port; 0 picks a free one. Default: 8080.</summary>
    public int Port { get; init; } = WebSettings.DefaultPort;

    /// <summary>Who may sign in. Default none: no sign-in, and loopback only. With users, every page and API asks for one.</summary>
    public ImmutableArray<WebUser> Users { get; init; } = [];

    /// <summary>How long a session lasts without a request (each request renews it). Default: 8 hours.</summary>
    public TimeSpan SessionIdle { get; init; } = TimeSpan.FromMinutes(WebSettings.DefaultSessionMinutes);

    /// <summary>How the user chooses another port, named when the port is in use. Default: <c>--port</c>.</summary>
    public string PortOption { get; init; } = "--port";

    /// <summary>Whether pages and the API ask for a signed-in user.</summary>
    public bool RequiresSignIn => !Users.IsDefaultOrEmpty;

    /// <summary>The options of <paramref name="settings"/>.</summary>
    public static WebOptions From(WebSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new() { Host = settings.Host, Port = settings.Port, Users = settings.Users, SessionIdle = settings.SessionIdle };
    }
}
