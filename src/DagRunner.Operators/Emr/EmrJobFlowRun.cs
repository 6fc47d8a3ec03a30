using DagRunner.Clients.Emr;
using DagRunner.Clients.Http;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators.Emr;

/// <summary>One attempt of an <see cref="EmrCreateJobFlowOperator"/>: record the cluster's name, start it once (found by
/// name after a lost answer), record its id, wait until it is ready, and terminate it when a timeout or a
/// cancellation comes first. A cluster an earlier runner or try started is followed, never started twice.</summary>
internal sealed class EmrJobFlowRun(EmrCreateJobFlowOperator task, RenderedTask fields, TaskContext context, RemoteClients clients)
{
    // How far back a cluster found by name may have been created before the attempt asked for it (clocks differ).
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);
    private static readonly string[] Alive = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"];

    private readonly TextWriter _log = context.Log;
    private EmrJobFlowHandle? _handle;

    private EmrClient Emr => clients.Emr(fields.Text(nameof(EmrCreateJobFlowOperator.AwsConnectionId))!);

    public async Task<object?> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await AdoptAsync(cancellationToken).ConfigureAwait(false) is { } adopted)
                return adopted;
            return await CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (context.DetachToken.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
                _log.WriteLine($"The runner is stopping: cluster {_handle?.ClusterId ?? _handle?.Name} is left starting for the next runner to follow.");
            else
                await TerminateAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<object?> CreateAsync(CancellationToken cancellationToken)
    {
        var request = EmrClusterRequest.Build(task, fields, context, cancellationToken);
        var name = request["Name"]!.GetValue<string>();
        // Recorded before the call: a runner that dies while it waits for the answer is followed by one that
        // looks for the cluster by name before it starts another.
        _handle = new EmrJobFlowHandle(name, clients.Time.GetUtcNow());
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"Starting EMR cluster {name} ({Emr}):");
        foreach (var line in SecretMask.From(context.Params, context.Conf).Apply(context.Secrets.Mask(request.ToJsonString(EmrClusterRequest.Indented))!).Split('\n'))
            _log.WriteLine("  " + line);
        string clusterId;
        try
        {
            clusterId = (await EmrThrottled.SendAsync("RunJobFlow", () => Emr.RunJobFlowAsync(request, cancellationToken), _log, clients.Time, cancellationToken).ConfigureAwait(false)).JobFlowId;
        }
        catch (EmrException e) when (e.MayHaveBeenCarriedOut)
        {
            _log.WriteLine($"EMR's answer to RunJobFlow was lost ({e.Message}): looking for cluster {name} before another is started.");
            if (await FindByNameAsync(_handle, patient: true, cancellationToken).ConfigureAwait(false) is { } found)
            {
                clusterId = found.Id;
                _log.WriteLine($"Found cluster {found.Id} ({found.Status.State}): EMR started it, so no other is started.");
            }
            else
            {
                _log.WriteLine($"EMR shows no cluster named {name}: it did not start one, so it is asked once more.");
                clusterId = (await EmrThrottled.SendAsync("RunJobFlow", () => Emr.RunJobFlowAsync(request, cancellationToken), _log, clients.Time, cancellationToken).ConfigureAwait(false)).JobFlowId;
            }
        }

        _handle = _handle with { ClusterId = clusterId, Verdict = null };
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"[dagrunner] EMR started cluster {clusterId}: recorded, so a retry or a restarted runner follows it instead of starting another.");
        return await WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // This attempt's cluster when a runner of it got that far; else the previous try's while it is still alive (a try
    // that failed waiting for it). Null when there is none: a cluster is started.
    private async Task<object?> AdoptAsync(CancellationToken cancellationToken)
    {
        var own = await context.Checkpoint.LoadAsync<EmrJobFlowHandle>(EmrJobFlowHandle.Kind, cancellationToken).ConfigureAwait(false);
        var earlier = own ?? await context.Checkpoint.LoadPreviousAsync<EmrJobFlowHandle>(EmrJobFlowHandle.Kind, cancellationToken).ConfigureAwait(false);
        // The previous try's only while its outcome was never reached (a ready cluster it handed on is not taken over).
        if (earlier is null || (own is null && earlier.Verdict is not (null or EmrJobFlowHandle.Submitting)))
            return null;
        var whose = own is not null ? "An earlier runner of this attempt" : "The previous try";
        if (earlier.ClusterId is null)
        {
            _log.WriteLine($"{whose} asked EMR for cluster {earlier.Name} and never read the answer: looking for it before another is started.");
            if (await FindByNameAsync(earlier, patient: true, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                _log.WriteLine($"EMR shows no cluster named {earlier.Name}: none was started.");
                return null;
            }

            earlier = earlier with { ClusterId = found.Id };
        }

        var cluster = await Emr.DescribeClusterAsync(earlier.ClusterId, cancellationToken).ConfigureAwait(false);
        if (own is null && !Alive.Contains(cluster.Status.State))
        {
            _log.WriteLine($"Cluster {cluster.Id} of the previous try is {cluster.Status.State}{EmrJobFlows.Reason(cluster)}: another is started.");
            return null;
        }

        _handle = earlier with { Verdict = null, State = cluster.Status.State };
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"{whose} started cluster {cluster.Id} ({cluster.Status.State}): following it instead of starting another.");
        return await WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Polls DescribeCluster until the cluster can take steps (or, with WaitForReady false, returns at once). EMR
    // unreachable is waited out until UnreachableTimeout; then the cluster is left to a retry, which follows it.
    private async Task<object?> WaitAsync(CancellationToken cancellationToken)
    {
        var poll = new AdaptivePoll(task.PollInterval);
        var unreachable = new UnreachableWatch(clients.Time, task.UnreachableTimeout, $"{nameof(EmrCreateJobFlowOperator)}.{nameof(EmrCreateJobFlowOperator.UnreachableTimeout)}");
        while (true)
        {
            EmrCluster cluster;
            try
            {
                cluster = await Emr.DescribeClusterAsync(_handle!.ClusterId!, cancellationToken).ConfigureAwait(false);
                unreachable.Reached();
            }
            catch (EmrException e) when (e.IsThrottled || e.CouldNotBeAsked)
            {
                unreachable.Failed(e, $"EMR at {Emr.Endpoint}", $"while cluster {_handle!.ClusterId} starts (it is left as it is: a retry follows it; without one, terminate it: aws emr terminate-clusters --cluster-ids {_handle.ClusterId})");
                _log.WriteLine($"Could not ask EMR about cluster {_handle!.ClusterId} ({e.Message}); trying again.");
                await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (cluster.Status.State != _handle.State)
            {
                _log.WriteLine($"[dagrunner] EMR: cluster {cluster.Id} is {cluster.Status.State}{EmrJobFlows.Reason(cluster)}.");
                _handle = _handle with { State = cluster.Status.State };
                await SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            // A cluster that ran its first steps and ended by itself (KeepAlive false) has done what it was for.
            var finishedItsSteps = cluster.Status.State == "TERMINATED" && cluster.Status.StateChangeReason?.Code == "ALL_STEPS_COMPLETED";
            if (!task.WaitForReady || EmrJobFlows.IsReady(cluster) || finishedItsSteps)
            {
                _handle = _handle with { Verdict = "succeeded" };
                await SaveAsync(cancellationToken).ConfigureAwait(false);
                return EmrJobFlows.Output(cluster);
            }

            if (cluster.Status.IsTerminated)
            {
                _handle = _handle with { Verdict = "failed" };
                await SaveAsync(cancellationToken).ConfigureAwait(false);
                throw new TaskFailedException($"EMR cluster {cluster.Id} did not start: it is {cluster.Status.State}{EmrJobFlows.Reason(cluster)}.");
            }

            await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The newest cluster carrying the handle's name, created since shortly before it was asked for. When none shows,
    // EMR is asked again (it may take a moment to list a cluster it has just started) until LookupTimeout, unless
    // `patient` is false (a cleanup that only wants to stop what it can find now).
    private Task<EmrCluster?> FindByNameAsync(EmrJobFlowHandle handle, bool patient, CancellationToken cancellationToken) =>
        EmrListing.LookAsync(() => ListByNameAsync(handle, cancellationToken), found => found is not null, patient ? task.LookupTimeout : TimeSpan.Zero, clients.Time, cancellationToken);

    private async Task<EmrCluster?> ListByNameAsync(EmrJobFlowHandle handle, CancellationToken cancellationToken)
    {
        string? marker = null;
        for (var page = 0; page < EmrListing.MaxPages; page++)
        {
            var clusters = await Emr.ListClustersAsync(new EmrListClustersRequest { CreatedAfter = handle.Requested - ClockSkew, Marker = marker }, cancellationToken).ConfigureAwait(false);
            if ((clusters.Clusters ?? []).FirstOrDefault(c => c.Name == handle.Name) is { } found)
                return found;
            if ((marker = clusters.Marker) is null)
                return null;
        }

        return null;
    }

    // A cluster left starting by a timeout or a cancellation costs money and does nothing: it is terminated.
    private async Task TerminateAsync()
    {
        using var budget = new CancellationTokenSource(task.CleanupTimeout, clients.Time);
        try
        {
            if (_handle is { ClusterId: null } handle)
                _handle = handle with { ClusterId = (await FindByNameAsync(handle, patient: false, budget.Token).ConfigureAwait(false))?.Id };
            if (_handle?.ClusterId is not { } clusterId)
                return;
            await Emr.TerminateJobFlowsAsync([clusterId], budget.Token).ConfigureAwait(false);
            _log.WriteLine($"Asked EMR to terminate cluster {clusterId}, which had not become ready.");
        }
        catch (Exception e) when (e is EmrException or OperationCanceledException)
        {
            var why = e is OperationCanceledException ? $"it took longer than {RestTransport.Seconds(task.CleanupTimeout)}" : e.Message;
            _log.WriteLine($"Could not terminate cluster {_handle?.ClusterId ?? _handle?.Name}: {why}. Terminate it by hand (aws emr terminate-clusters).");
        }
    }

    private Task SaveAsync(CancellationToken cancellationToken) =>
        _handle is { } handle ? context.Checkpoint.SaveAsync(EmrJobFlowHandle.Kind, handle, cancellationToken) : Task.CompletedTask;
}
