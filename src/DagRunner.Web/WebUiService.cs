using System.Net;
using DagRunner.Hosting.Connections;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;
using DagRunner.Sdk;
using DagRunner.Web.Api;
using DagRunner.Web.Assets;
using DagRunner.Web.Pages.Actions;
using DagRunner.Web.Pages.Dags;
using DagRunner.Web.Pages.Shared;
using DagRunner.Web.Pages.Tasks;
using DagRunner.Web.Pages.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DagRunner.Web;

/// <summary>
/// The web UI as a hosted service of DagRunner's host: a Kestrel app whose endpoints use the host's
/// own catalog and read model (the same instances the scheduler uses in <c>standalone</c>), so the UI
/// shows what the runner knows, through Hosting, never the store or the engine directly.
/// </summary>
public sealed class WebUiService(IServiceProvider application, WebOptions options) : IHostedService, IAsyncDisposable
{
    private WebApplication? _web;

    /// <summary>The address it serves, once started (e.g. <c>http://127.0.0.1:8080</c>).</summary>
    public Uri? Url { get; private set; }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = Address(options.Host);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(address, options.Port));
        // The application's own instances (the ones the scheduler uses in standalone), not copies.
        builder.Services.AddSingleton(application.GetRequiredService<DagCatalog>());
        builder.Services.AddSingleton(application.GetRequiredService<RunReadModel>());
        builder.Services.AddSingleton(application.GetRequiredService<RunLauncher>());
        builder.Services.AddSingleton(application.GetRequiredService<TaskLogReader>());
        builder.Services.AddSingleton(application.GetRequiredService<TaskRenderer>());
        builder.Services.AddSingleton(application.GetRequiredService<DagSourceReader>());
        builder.Services.AddSingleton(application.GetRequiredService<SecretMasker>());
        builder.Services.AddSingleton(application.GetRequiredService<TimeProvider>());
        builder.Services.AddSingleton(application.GetRequiredService<ConnectionSource>());
        builder.Services.AddSingleton(options);
        builder.Services.AddRazorComponents();
        builder.Services.AddAntiforgery();
        var web = builder.Build();
        web.UseAntiforgery();
        web.MapAssets();
        web.MapDagsApi();
        web.MapDagPages();
        web.MapDagViews();
        web.MapTaskPages();
        web.MapActions();
        web.MapNotFound();
        try
        {
            await web.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await web.DisposeAsync().ConfigureAwait(false);
            throw new WebUiException($"the web UI cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
        }

        _web = web;
        // Listening on one loopback address, Kestrel reports that address with the port it took.
        Url = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_web is { } web)
            await web.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_web is { } web)
            await web.DisposeAsync().ConfigureAwait(false);
        _web = null;
    }

    // Until the UI has users and passwords, it is for this machine only: pages show runs, logs and
    // code, and actions will change them.
    private static IPAddress Address(string host)
    {
        var address = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new WebUiException($"--host '{host}' is not an IP address; give 127.0.0.1 (the default) or another loopback address.");
        return IPAddress.IsLoopback(address)
            ? address
            : throw new WebUiException($"--host {host}: the web UI listens on loopback addresses only until it has authentication; use 127.0.0.1 and an SSH tunnel or a reverse proxy meanwhile.");
    }
}
