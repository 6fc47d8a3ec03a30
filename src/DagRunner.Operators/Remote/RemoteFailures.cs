using DagRunner.Clients.Connections;
using DagRunner.Clients.Emr;
using DagRunner.Clients.Http;
using DagRunner.Sdk;

namespace DagRunner.Operators.Remote;

/// <summary>Remote and configuration errors say everything in their message (which call, what came
/// back, which connection, never a password): tasks fail with that message, not a stack trace.</summary>
internal static class RemoteFailures
{
    public static async Task<object?> AsTaskFailuresAsync(Func<Task<object?>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RemoteApiException or ConnectionException or EmrException)
        {
            throw new TaskFailedException(e.Message, e);
        }
    }
}
