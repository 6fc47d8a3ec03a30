using Microsoft.Extensions.Hosting;

namespace DagRunner.Hosting;

/// <summary>A host lifetime that leaves starting and stopping to the front end. The generic host's
/// console lifetime would take Ctrl+C and SIGTERM for itself, and a scheduler stops in two steps
/// (stop scheduling, then cancel running work) that only the front end can tell apart.</summary>
internal sealed class FrontEndLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
