namespace DagRunner.Web;

/// <summary>The web UI cannot start as asked (an address it may not listen on, a port in use); the message says why.</summary>
public sealed class WebUiException(string message, Exception? inner = null) : Exception(message, inner);
