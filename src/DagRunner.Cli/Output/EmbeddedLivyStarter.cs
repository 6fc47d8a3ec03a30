using DagRunner.Hosting.Connections;
using DagRunner.Hosting.LocalLivy;
using DagRunner.LocalLivy;
using Spectre.Console;

namespace DagRunner.Cli.Output;

/// <summary>Starts the embedded LocalLivy when a command needs Livy and none is configured, and says so in one line.</summary>
internal static class EmbeddedLivyStarter
{
    public static async Task<LocalLivyServer?> StartIfNeededAsync(CliSession session, bool needed, CancellationToken cancellationToken)
    {
        if (!needed)
            return null;
        var embedded = await EmbeddedLivy.StartUnlessConfiguredAsync(session.Settings, session.Connections, session.Time, session.LoggerFactory, cancellationToken).ConfigureAwait(false);
        if (embedded is not null)
        {
            session.Io.Console.MarkupLine(Markup.Escape(
                $"No livy_default connection: started the embedded LocalLivy at {embedded.BaseUrl} (jobs from {session.Io.Display(embedded.JobsRoot)}) " +
                $"for {string.Join(", ", ConnectionSource.Defaults)}."));
        }

        return embedded;
    }
}
