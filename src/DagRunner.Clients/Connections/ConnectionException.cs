namespace DagRunner.Clients.Connections;

/// <summary>A connection URI that cannot be used; the message names the connection and what is wrong,
/// never its password.</summary>
public sealed class ConnectionException(string message) : Exception(message);
