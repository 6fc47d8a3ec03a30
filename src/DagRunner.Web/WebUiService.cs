using System.Net;
using DagRunner.Hosting.Configuration;
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
using DagRunner.Web.Pages.Login;
using DagRunner.Web.Pages.Views;
using DagRunner.Web.Security;
using Microsoft.AspNetCore.Connections;
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
    /// <exception cref="WebUiException">The address needs sign-in and no user is configured, the name does not resolve,
    /// or the port is in use; the message says what to change.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var listen = await ListenAddress.ResolveAsync(options, cancellationToken).ConfigureAwait(false);
        var time = application.GetRequiredService<TimeProvider>();
        // Production whatever ASPNETCORE_ENVIRONMENT says: the developer error page would show stack traces
        // and unmasked exception messages.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(listen.Address, options.Port));
        // The application's own instances (the ones the scheduler uses in standalone), not copies.
        builder.Services.AddSingleton(application.GetRequiredService<DagCatalog>());
        builder.Services.AddSingleton(application.GetRequiredService<RunReadModel>());
        builder.Services.AddSingleton(application.GetRequiredService<RunLauncher>());
        builder.Services.AddSingleton(application.GetRequiredService<DagRunner.Hosting.Runs.RunActions>());
        builder.Services.AddSingleton(application.GetRequiredService<TaskLogReader>());
        builder.Services.AddSingleton(application.GetRequiredService<TaskRenderer>());
        builder.Services.AddSingleton(application.GetRequiredService<DagSourceReader>());
        builder.Services.AddSingleton(application.GetRequiredService<SecretMasker>());
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(application.GetRequiredService<ConnectionSource>());
        builder.Services.AddSingleton(options);
        builder.Services.AddRazorComponents();
        builder.Services.AddWebSecurity(options, application.GetRequiredService<DagRunnerSettings>(), time);
        var web = builder.Build();
        web.UseServerErrors();
        web.UseWebSecurity();
        web.MapAssets();
        if (options.RequiresSignIn)
            web.MapLogin();
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
            throw new WebUiException(e.InnerException is AddressInUseException
                ? $"port {options.Port} on {options.Host} is in use (another web UI or program listens there); choose another with {options.PortOption} (0 picks a free one) or \"web\": {{\"port\": ...}} in dagrunner.json."
                : $"the web UI cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
        }

        _web = web;
        var bound = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        // Kestrel reports the address it bound; a browser elsewhere needs the name it was given, or this machine's.
        Url = listen.IsAny ? new UriBuilder(bound) { Host = Dns.GetHostName() }.Uri
            : IPAddress.TryParse(options.Host.Trim('[', ']'), out _) || listen.IsLoopback ? bound
            : new UriBuilder(bound) { Host = options.Host }.Uri;
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
}
