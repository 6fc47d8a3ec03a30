using System.Text;
using System.Text.Json;
using DagRunner.Hosting.Runs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DagRunner.Web.Pages.Tasks;

/// <summary>
/// A task attempt's log as server-sent events (<see cref="WebRoutes.LogStream"/>): first a <c>tail</c>
/// event with the log's last 1 MiB (<c>{"text": ..., "truncated": ...}</c>), then one <c>line</c> event
/// per line as it is written (its text as a JSON string), and an <c>end</c> event once the attempt is
/// over, when the stream closes. The file is polled every <see cref="Interval"/> (on the host's
/// <see cref="TimeProvider"/>), so a new line shows within a second; it is read through
/// <see cref="TaskLogReader"/>: the logs folder only, masked. A client that goes away ends the loop.
/// </summary>
internal static class LogStream
{
    /// <summary>How often the log's length is looked at: 250 ms.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    // A comment line this often keeps proxies from closing a quiet stream, and finds a client gone.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(
        HttpContext context, string dagId, string runId, string taskId, string? @try,
        RunReadModel runs, TaskLogReader logs, TimeProvider time)
    {
        var cancellationToken = context.RequestAborted;
        // Taken as text: a try that is not a number is an unknown try (the JSON 404), not a bare 400.
        int? tryNumber = int.TryParse(@try, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        var over = tryNumber is { } number ? await runs.AttemptOverAsync(dagId, runId, taskId, number, cancellationToken).ConfigureAwait(false) : null;
        if (over is null)
        {
            await Results.Json(new { error = $"No try {@try} of task '{taskId}' of run '{runId}' of DAG '{dagId}'." }, statusCode: StatusCodes.Status404NotFound)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await FollowAsync(context.Response, runs, logs, time, (dagId, runId, taskId, tryNumber!.Value), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task FollowAsync(HttpResponse response, RunReadModel runs, TaskLogReader logs, TimeProvider time, (string Dag, string Run, string Task, int Try) attempt, CancellationToken cancellationToken)
    {
        long offset = -1;
        string? logFile = null;
        var quiet = time.GetTimestamp();
        while (true)
        {
            // Asked before reading: whatever the attempt wrote before it was over is read below.
            var over = await runs.AttemptOverAsync(attempt.Dag, attempt.Run, attempt.Task, attempt.Try, cancellationToken).ConfigureAwait(false) ?? true;
            // A running attempt's log file is known once it started; a queued one's is not yet.
            logFile ??= await runs.AttemptLogFileAsync(attempt.Dag, attempt.Run, attempt.Task, attempt.Try, cancellationToken).ConfigureAwait(false);
            var chunk = await logs.ReadFromAsync(logFile, offset, TaskLogReader.DefaultMaxBytes, cancellationToken).ConfigureAwait(false);
            if (offset < 0)
            {
                await SendAsync(response, "tail", JsonSerializer.Serialize(new { text = chunk?.Text ?? "", truncated = chunk?.Truncated ?? false }), cancellationToken).ConfigureAwait(false);
                offset = chunk?.Next ?? 0;
                quiet = time.GetTimestamp();
            }
            else if (chunk is { Text.Length: > 0 })
            {
                foreach (var line in chunk.Text.TrimEnd('\n').Split('\n'))
                    await SendAsync(response, "line", JsonSerializer.Serialize(line.TrimEnd('\r')), cancellationToken).ConfigureAwait(false);
                offset = chunk.Next;
                quiet = time.GetTimestamp();
            }
            else if (chunk is not null)
            {
                offset = chunk.Next;
            }

            if (over)
            {
                await SendAsync(response, "end", "{}", cancellationToken).ConfigureAwait(false);
                return;
            }

            if (time.GetElapsedTime(quiet) >= KeepAlive)
            {
                await response.WriteAsync(": still here\n\n", cancellationToken).ConfigureAwait(false);
                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                quiet = time.GetTimestamp();
            }

            await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    // One event: its name and one data line (JSON holds no raw newline).
    private static async Task SendAsync(HttpResponse response, string name, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync(new StringBuilder().Append("event: ").Append(name).Append("\ndata: ").Append(json).Append("\n\n").ToString(), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
