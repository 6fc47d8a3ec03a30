using Microsoft.Extensions.Logging;

namespace DagRunner.LocalLivy;

/// <summary>What the server logs: only what goes wrong inside it, which no HTTP answer can report.</summary>
internal static partial class LocalLivyLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "LocalLivy could not run {Record} {Id}")]
    public static partial void JobFailed(this ILogger logger, Exception exception, string record, int id);

    [LoggerMessage(Level = LogLevel.Error, Message = "LocalLivy could not write its recovery file {File}")]
    public static partial void RecoveryWriteFailed(this ILogger logger, Exception exception, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "LocalLivy could not restart")]
    public static partial void RestartFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "LocalLivy's retention sweep failed")]
    public static partial void SweepFailed(this ILogger logger, Exception exception);
}
