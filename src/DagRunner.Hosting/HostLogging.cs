using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace DagRunner.Hosting;

/// <summary>Serilog for the hosts: diagnostics go to standard error so standard output stays the command's own.</summary>
public static class HostLogging
{
    /// <summary>Creates the logger factory; <paramref name="verbose"/> lowers the level from Warning to Debug.</summary>
    public static ILoggerFactory CreateLoggerFactory(bool verbose)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Warning)
            .WriteTo.Console(
                standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "{Level:u4}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        return LoggerFactory.Create(builder => builder.AddSerilog(logger, dispose: true));
    }
}
