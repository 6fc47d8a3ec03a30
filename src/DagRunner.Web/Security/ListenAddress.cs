using System.Net;
using System.Net.Sockets;

namespace DagRunner.Web.Security;

/// <summary>Where the UI listens: <see cref="WebOptions.Host"/> as an address, and the rule that only loopback
/// goes without sign-in (pages show runs, logs and code; actions change them).</summary>
internal sealed record ListenAddress(IPAddress Address, bool IsAny)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>Resolves <see cref="WebOptions.Host"/> (an IP address, <c>localhost</c> or a host name, whose first
    /// address is taken, IPv4 first) and refuses one other than loopback when no user is configured.</summary>
    /// <exception cref="WebUiException">The name does not resolve, or the address needs sign-in and there are no users.</exception>
    public static async Task<ListenAddress> ResolveAsync(WebOptions options, CancellationToken cancellationToken)
    {
        var host = options.Host;
        IPAddress address;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            address = IPAddress.Loopback;
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var parsed))
            address = parsed;
        else
            address = await ResolveNameAsync(host, cancellationToken).ConfigureAwait(false);

        var listen = new ListenAddress(address, address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));
        if (!listen.IsLoopback && !options.RequiresSignIn)
        {
            throw new WebUiException(
                $"the web UI may listen on {host} (not a loopback address) only with sign-in, and no user is configured. " +
                "Add one to dagrunner.json, \"web\": {\"users\": [{\"name\": \"ana\", \"passwordHash\": \"...\"}]}, with a hash made by " +
                "`dagrunner web hash-password` (it reads the password from standard input); or listen on 127.0.0.1 and reach it through an SSH tunnel.");
        }

        return listen;
    }

    private static async Task<IPAddress> ResolveNameAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new WebUiException($"the web UI cannot listen on '{host}': the name does not resolve ({e.Message}); give an IP address such as 127.0.0.1 or 0.0.0.0, or a name of this machine.", e);
        }

        return addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
            ?? throw new WebUiException($"the web UI cannot listen on '{host}': the name has no address.");
    }
}
