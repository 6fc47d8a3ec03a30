using System.Collections.Immutable;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// The web UI (<c>dagrunner web</c>, <c>dagrunner standalone</c>): <c>dagrunner.json</c>'s <c>web</c> section.
/// The commands' <c>--host</c>/<c>--port</c> (<c>--web-host</c>/<c>--web-port</c> for <c>standalone</c>) win over it.
/// </summary>
public sealed class DagRunnerWebOptions
{
    /// <summary>The address to listen on: an IP address or a host name. Default <c>127.0.0.1</c>; an address
    /// other than loopback needs at least one user. <c>DAGRUNNER_WEB_HOST</c>, <c>web.host</c>.</summary>
    public string Host { get; set; } = WebSettings.DefaultHost;

    /// <summary>The port (0 to 65,535; 0 picks a free one). Default 8080; <c>DAGRUNNER_WEB_PORT</c>, <c>web.port</c>.</summary>
    public int Port { get; set; } = WebSettings.DefaultPort;

    /// <summary>How long a signed-in session lasts without a request, in minutes (1 to 43,200, 30 days); each
    /// request renews it. Default 480 (8 hours); <c>web.sessionMinutes</c>.</summary>
    public int SessionMinutes { get; set; } = WebSettings.DefaultSessionMinutes;

    /// <summary>Who may sign in; <c>web.users</c>. Default none: the UI asks for no sign-in and listens on loopback only.</summary>
    public List<DagRunnerWebUser> Users { get; } = [];

    internal WebSettings ToSettings() => new()
    {
        Host = Host,
        Port = Port,
        SessionIdle = TimeSpan.FromMinutes(SessionMinutes),
        Users = [.. Users.Select(user => new WebUser(user.Name, user.PasswordHash))],
    };
}
