using Microsoft.Extensions.Hosting;

namespace DagRunner.Hosting.LocalLivy;

/// <summary>
/// The embedded LocalLivy as a hosted service: at start, when <c>needed</c> says so and no Livy is
/// configured, it starts (through the host's <see cref="EmbeddedLivyLauncher"/>, which says so); it stops
/// with the host, after the services registered later (a scheduler lets go of its runs first).
/// </summary>
/// <remarks>An <see cref="IHostedService"/>, not a background loop: the services after it may only start
/// once the server listens.</remarks>
public sealed class EmbeddedLivyService(EmbeddedLivyLauncher launcher, Func<bool> needed) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (needed())
            await launcher.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => launcher.StopAsync();
}
