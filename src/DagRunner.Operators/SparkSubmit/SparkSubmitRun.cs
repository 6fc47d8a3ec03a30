using System.Text.RegularExpressions;
using System.Threading.Channels;
using DagRunner.Clients.Http;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Remote;
using DagRunner.Operators.SparkSubmit.Launch;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators.SparkSubmit;

/// <summary>One attempt of a spark-submit task, on this host or over SSH: run spark-submit with its output
/// streamed, record the YARN app id as soon as it is printed, decide the outcome on evidence (spark-submit's
/// exit code is one source, YARN and Spark the others), follow an app an earlier runner or try submitted
/// instead of submitting again, and stop what a timeout or a cancellation leaves running.</summary>
internal sealed partial class SparkSubmitRun(SparkSubmitJobOperator task, RenderedTask fields, TaskContext context, RemoteClients clients, ISubmitHost host, SparkSubmitSettings settings)
{
    private readonly TextWriter _log = context.Log;
    private readonly string _tag = BatchNaming.Tag(context);
    private readonly string _yarnConnectionId = fields.Text(nameof(SparkSubmitJobOperator.YarnConnectionId))!;
    private readonly string _sparkConnectionId = fields.Text(nameof(SparkSubmitJobOperator.SparkConnectionId))!;
    private SparkSubmitHandle? _handle;
    private IRunningSubmit? _running;
    private bool _clusterMode;

    public async Task<object?> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await EarlierAsync(cancellationToken).ConfigureAwait(false) is { } earlier &&
                await AdoptAsync(earlier.Handle, earlier.Own, cancellationToken).ConfigureAwait(false) is { } adopted)
                return adopted;
            return await SubmitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A runner stopping gracefully leaves the app running; its handle is recorded, so the next
            // runner follows it. A cancellation or a timeout stops it.
            if (context.DetachToken.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
                _log.WriteLine($"The runner is stopping: app {_handle?.AppId ?? "(tag " + _tag + ")"} is left running for the next runner to follow.");
            else
                await CleanUpAsync().ConfigureAwait(false);
            throw;
        }
        catch (RemoteApiException e)
        {
            // YARN could not be followed to the end: stop the job rather than leave it beside the retry.
            await CleanUpAsync().ConfigureAwait(false);
            throw new TaskFailedException($"App {_handle?.AppId ?? "(tag " + _tag + ")"} could not be followed: {e.Message}", e);
        }
        catch (Exception) when (_running is { Ended.IsCompleted: false } && !context.DetachToken.IsCancellationRequested)
        {
            // Anything else (the run store failing, say) while spark-submit runs: nothing is left beside the retry.
            await CleanUpAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (_running is not null)
                await _running.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<object?> SubmitAsync(CancellationToken cancellationToken)
    {
        var command = SparkSubmitJob.Command(task, fields, context, settings);
        SparkSubmitJob.RegisterSecrets(command, context.Secrets);
        // Checked before anything runs: a job that cannot be verified must not run (and run again on retry).
        if (task.VerifyIn.HasFlag(VerifyIn.Yarn) && !HasYarn)
            throw new SparkSubmitFailedException($"{task.GetType().Name}.{nameof(SparkSubmitJobOperator.VerifyIn)} includes YARN, but the connection '{_yarnConnectionId}' is not configured: configure the ResourceManager's URL, or set VerifyIn = VerifyIn.None for a master that is not YARN (then spark-submit's exit code decides). Nothing was submitted.");
        // Recorded before spark-submit starts: a runner that dies now is followed by one that looks for
        // the tag in YARN before it submits anything.
        _handle = new SparkSubmitHandle(_tag, host.Name);
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"Running spark-submit on {host.Name}:");
        // One WriteLine per line, so a front end that prefixes lines (the task id) prefixes each option.
        foreach (var line in SparkSubmitJob.Describe(command, context).Split('\n'))
            _log.WriteLine(line);

        _clusterMode = command.Options.Any(o => o is ("--deploy-mode", "cluster"));
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        _running = await host.StartAsync(command, line => lines.Writer.TryWrite(line), cancellationToken).ConfigureAwait(false);
        _handle = _handle with { Pid = _running.Pid };
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        var reading = ReadOutputAsync(lines.Reader);
        SubmitEnd end;
        try
        {
            end = await WaitForEndAsync(_running, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Whatever ends the wait, the lines already read are logged and an app id among them recorded
            // before the attempt goes on (to its verdict, or to the cleanup that kills that app).
            lines.Writer.TryComplete();
            await reading.ConfigureAwait(false);
        }

        _handle = _handle with { ExitCode = end.ExitCode };
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        if (end.Lost is { } lost)
            _log.WriteLine($"{lost} spark-submit may still run on {host.Name}; its app is followed in YARN, never submitted again.");
        else
            _log.WriteLine($"spark-submit exited with code {end.ExitCode}.");
        return await AfterSparkSubmitAsync(end, cancellationToken).ConfigureAwait(false);
    }

    // spark-submit's end in cluster mode, watched from YARN too: once YARN shows the app ended, spark-submit has
    // VerifyTimeout to end as well. One that does not (an SSH connection that stopped answering without closing, which TCP
    // notices only after many minutes; a spark-submit that hangs) is stopped waiting for, and stopped.
    private async Task<SubmitEnd> WaitForEndAsync(IRunningSubmit running, CancellationToken cancellationToken)
    {
        // Only in cluster mode: in client mode the driver is spark-submit, and may work on after its app ended.
        if (!HasYarn || !_clusterMode)
            return await running.Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
        var poll = new AdaptivePoll(task.PollInterval);
        long? appEnded = null;
        while (true)
        {
            var pause = Task.Delay(poll.Next(), clients.Time, cancellationToken);
            if (await Task.WhenAny(running.Ended, pause).ConfigureAwait(false) == running.Ended)
                return await running.Ended.ConfigureAwait(false);
            await pause.ConfigureAwait(false); // a cancellation is thrown here
            if (_handle?.AppId is not { } appId)
                continue;
            try
            {
                if (appEnded is null && await clients.Yarn(_yarnConnectionId).GetAppAsync(appId, cancellationToken).ConfigureAwait(false) is { IsTerminal: true })
                    appEnded = clients.Time.GetTimestamp();
            }
            catch (RemoteApiException)
            {
                // YARN unreachable for a moment: spark-submit is waited for as before
            }

            if (appEnded is { } since && clients.Time.GetElapsedTime(since) >= task.VerifyTimeout)
            {
                using var budget = new CancellationTokenSource(task.CleanupTimeout, clients.Time);
                try
                {
                    await running.StopAsync(budget.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _log.WriteLine($"Could not stop spark-submit (pid {running.Pid} on {host.Name}): {e.Message}");
                }

                return new SubmitEnd(null, $"spark-submit on {host.Name} had not ended {RestTransport.Seconds(task.VerifyTimeout)} after YARN showed app {appId} ended ({task.GetType().Name}.{nameof(SparkSubmitJobOperator.VerifyTimeout)}), so it is not waited for: its exit code is not known.");
            }
        }
    }

    // Every line goes to the task log as it comes; the first application id is recorded at once, even
    // while the attempt is being cancelled (the cleanup kills that app).
    private async Task ReadOutputAsync(ChannelReader<string> lines)
    {
        await foreach (var line in lines.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            _log.WriteLine(line);
            if (_handle!.Pid is null && _running?.Pid is { } pid)
            {
                _handle = _handle with { Pid = pid }; // a pid printed late (a slow login script) is recorded too
                await SaveQuietlyAsync().ConfigureAwait(false);
            }

            var handle = _handle!;
            if (handle.AppId is null && AppIdPattern().Match(line) is { Success: true } id)
            {
                _handle = handle with { AppId = id.Value, Verdict = null };
                await SaveQuietlyAsync().ConfigureAwait(false);
                _log.WriteLine($"[dagrunner] spark-submit submitted app {id.Value}: recorded, so a retry or a restarted runner follows it instead of submitting again.");
            }
            else if (handle.TrackingUrl is null && TrackingUrlPattern().Match(line) is { Success: true } url && url.Groups[1].Value != "N/A")
            {
                _handle = handle with { TrackingUrl = url.Groups[1].Value };
                await SaveQuietlyAsync().ConfigureAwait(false);
            }
        }
    }

    // The reader keeps reading whatever the store does: a failed save is said, and the next save (the
    // verdict's) records the id again.
    private async Task SaveQuietlyAsync()
    {
        try
        {
            await SaveHandleAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.WriteLine($"[dagrunner] Could not record app {_handle?.AppId} in the run store ({e.Message}); recording it again at the verdict.");
        }
    }

    private Task SaveHandleAsync(CancellationToken cancellationToken) =>
        _handle is { } handle ? context.Checkpoint.SaveAsync(SparkSubmitHandle.Kind, handle, cancellationToken) : Task.CompletedTask;

    [GeneratedRegex(@"application_\d+_\d+")]
    private static partial Regex AppIdPattern();

    [GeneratedRegex(@"tracking URL: (\S+)")]
    private static partial Regex TrackingUrlPattern();
}
