using System.CommandLine;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Storage;
using DagRunner.Hosting;
using DagRunner.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Cli;

/// <summary>What every command needs: the process's input and output and the global options.</summary>
internal sealed class CliContext(CliIo io, GlobalOptions options, ShutdownSignals signals)
{
    /// <summary>Ctrl+C and SIGTERM: stop, then cancel.</summary>
    public ShutdownSignals Signals => signals;

    public CliIo Io => io;

    public GlobalOptions Options => options;

    /// <summary>Runs a command that only shows DAGs (their ids, schedules, tasks, import errors): each unchanged
    /// file's definitions are read from the snapshot its last run left, in whatever process, so no DAG code runs
    /// and the compiler is not loaded; only a file that changed since runs (and leaves its snapshot).</summary>
    public Task<int> RunShowingDagsAsync(ParseResult parse, Func<CliSession, Task<int>> body) =>
        RunAsync(parse, body, hosted: services => services.ReadDefinitionSnapshots());

    /// <summary>Runs a command body in a session, turning configuration errors into exit code 2.
    /// <paramref name="needsDags"/> is false for commands that work without a DAGs folder; <paramref name="hosted"/>
    /// adds the command's hosted services to the session's host.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<CliSession, Task<int>> body, bool needsDags = true, Action<IServiceCollection>? hosted = null)
    {
        CliSession session;
        try
        {
            session = CliSession.Start(io, options, parse, needsDags, hosted);
        }
        catch (ConfigurationException ex)
        {
            await io.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await using (session.ConfigureAwait(false))
        {
            try
            {
                return await body(session).ConfigureAwait(false);
            }
            catch (UsageException ex)
            {
                await io.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (RunClaimedException ex)
            {
                // Never twice: the same run is being executed by another process (`dags test` of the same date).
                await io.Error.WriteLineAsync($"error: {ex.Message} Wait for it to end, or use another --date.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (RunStoreException ex)
            {
                // One line that names the file and what to do; the store is left as it was.
                await io.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }
    }
}

/// <summary>Bad usage found after parsing (an unknown DAG, a malformed value): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
