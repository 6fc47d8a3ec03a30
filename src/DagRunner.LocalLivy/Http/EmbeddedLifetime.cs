using Microsoft.Extensions.Hosting;

namespace DagRunner.LocalLivy.Http;

/// <summary>A host lifetime that leaves process signals alone: LocalLivy runs inside someone
/// else's process (the CLI, a test), which decides when to stop it.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
