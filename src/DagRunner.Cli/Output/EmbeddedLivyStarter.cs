using DagRunner.Engine.Definitions;
using DagRunner.Hosting.LocalLivy;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Cli.Output;

/// <summary>Starts the embedded LocalLivy when a command needs Livy and none is configured (the session says
/// so in one line); disposing the result stops it.</summary>
internal static class EmbeddedLivyStarter
{
    public static async Task<IAsyncDisposable?> StartIfNeededAsync(CliSession session, DagDefinition dag, CancellationToken cancellationToken)
    {
        var launcher = session.Services.GetRequiredService<EmbeddedLivyLauncher>();
        if (!launcher.IsNeededFor(dag))
            return null;
        return await launcher.StartAsync(cancellationToken).ConfigureAwait(false) is null ? null : new Stopping(launcher);
    }

    private sealed class Stopping(EmbeddedLivyLauncher launcher) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await launcher.StopAsync().ConfigureAwait(false);
    }
}
