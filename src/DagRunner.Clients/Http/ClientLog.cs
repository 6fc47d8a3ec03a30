using Microsoft.Extensions.Logging;

namespace DagRunner.Clients.Http;

internal static partial class ClientLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {Id} ({Uri}) skips TLS certificate checks (insecure=true): use it only for test clusters")]
    public static partial void InsecureConnection(this ILogger logger, string id, string uri);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Service}: retrying ({Reason}), attempt {Attempt} in {Delay}")]
    public static partial void Retrying(this ILogger logger, string service, string reason, int attempt, TimeSpan delay);
}
