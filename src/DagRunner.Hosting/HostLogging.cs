using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace DagRunner.Hosting;

/// <summary>Serilog for the hosts: diagnostics go to standard error so standard output stays the command's own.</summary>
public static class HostLogging
{
    /// <summary>Creates the logger factory; <paramref name="verbose"/> lowers the level from Warning to Debug.</summary>
    public static ILoggerFactory CreateLoggerFactory(bool verbose) => LoggerFactory.Create(logging => Configure(logging, verbose));

    /// <summary>Sends <paramref name="logging"/> to Serilog on standard error; <paramref name="verbose"/> lowers
    /// the level from Warning to Debug. The generic host's own messages are left out: starting and stopping
    /// are the front end's to report, and a service's failure reaches it as an exception.</summary>
    public static ILoggingBuilder Configure(ILoggingBuilder logging, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(logging);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Warning)
            .WriteTo.Console(
                standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "{Level:u4}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        // After AddSerilog, and for its provider: it adds a rule of its own that lets every category through.
        return logging.ClearProviders()
            .AddSerilog(logger, dispose: true)
            .AddFilter<SerilogLoggerProvider>("Microsoft.Extensions.Hosting", LogLevel.None)
            .AddFilter<SerilogLoggerProvider>("Microsoft.Hosting", LogLevel.None);
    }
}
