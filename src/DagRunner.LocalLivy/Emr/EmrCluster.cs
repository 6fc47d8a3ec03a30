using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Livy;

namespace DagRunner.LocalLivy.Emr;

/// <summary>One EMR cluster (job flow): its steps, run in order, at most
/// <see cref="StepConcurrencyLevel"/> at a time, and its way from <c>STARTING</c> through
/// <c>WAITING</c>/<c>RUNNING</c> to <c>TERMINATED</c>. Its steps' apps run on the one LocalLivy cluster.</summary>
internal sealed class EmrCluster(string id, RunJobFlowRequest request, LocalCluster cluster, DateTimeOffset created)
{
    private readonly Lock _lock = new();
    private readonly List<EmrStep> _steps = [];
    private readonly TimeProvider _time = cluster.Options.TimeProvider;
    private Task _termination = Task.CompletedTask;

    public string Id { get; } = id;
    public string Name { get; } = request.Name!;
    public string Arn { get; } = $"arn:aws:elasticmapreduce:local:000000000000:cluster/{id}";
    public string? LogUri { get; } = request.LogUri;
    public string? ReleaseLabel { get; } = request.ReleaseLabel;
    public int StepConcurrencyLevel { get; } = request.StepConcurrencyLevel ?? 1;

    /// <summary>EMR's default: a cluster ends once it has no steps left to run.</summary>
    public bool KeepAlive { get; } = request.Instances?.KeepJobFlowAliveWhenNoSteps ?? false;

    public DateTimeOffset Created { get; } = created;
    public DateTimeOffset? Ready { get; private set; }
    public DateTimeOffset? Ended { get; private set; }
    public string State { get; private set; } = EmrStates.Starting;
    public StateChangeReasonView Reason { get; private set; } = new(null, null);

    /// <summary>STARTING → WAITING (or RUNNING, with steps to run): LocalLivy has nothing to provision.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (State != EmrStates.Starting)
                return;
            Ready = _time.GetUtcNow();
            State = EmrStates.Waiting;
            Reason = new StateChangeReasonView(null, "Cluster ready to run steps.");
        }

        Pump();
    }

    /// <summary>Queues steps behind the ones already there; refused once the cluster is ending.</summary>
    public void Add(IReadOnlyList<EmrStep> steps)
    {
        lock (_lock)
        {
            if (EmrStates.IsEnding(State))
                throw EmrException.Validation("A job flow that is shutting down, terminated, or finished may not be modified.");
            _steps.AddRange(steps);
        }

        Pump();
    }

    public EmrStep? Step(string id)
    {
        lock (_lock)
            return _steps.Find(step => step.Id == id);
    }

    /// <summary>The steps, newest first, as ListSteps shows them.</summary>
    public IReadOnlyList<EmrStep> Steps()
    {
        lock (_lock)
            return [.. Enumerable.Reverse(_steps)];
    }

    /// <summary>Cancels a step; the reason when it cannot be, else null.</summary>
    public string? Cancel(EmrStep step)
    {
        if (!step.RequestCancel("Cancelled by user request.", _time.GetUtcNow(), out var running))
            return $"Step {step.Id} is in state {step.State} and cannot be cancelled.";
        if (running is not null)
            _ = KillObservedAsync(running, step);
        Pump();
        return null;
    }

    /// <summary>Begins termination (TERMINATING at once, TERMINATED once every step's process has
    /// ended); a cluster already ending is left as it is.</summary>
    public void Terminate(string code, string message, bool withErrors = false)
    {
        lock (_lock)
        {
            if (EmrStates.IsEnding(State))
                return;
            State = EmrStates.Terminating;
            Reason = new StateChangeReasonView(code, message);
            List<EmrStep> steps = [.. _steps];
            _termination = Task.Run(() => EndAsync(steps, withErrors));
        }
    }

    /// <summary>Completes once the cluster has terminated (at once when it is not terminating).</summary>
    public Task Terminated
    {
        get
        {
            lock (_lock)
                return _termination;
        }
    }

    public ClusterView View()
    {
        lock (_lock)
        {
            var timeline = new ClusterTimelineView(EmrStep.EpochSeconds(Created), EmrStep.EpochSeconds(Ready), EmrStep.EpochSeconds(Ended));
            return new ClusterView(Id, Name, Arn, new ClusterStatusView(State, Reason, timeline), LogUri, ReleaseLabel, StepConcurrencyLevel,
                AutoTerminate: !KeepAlive, TerminationProtected: false, NormalizedInstanceHours: 0);
        }
    }

    // Starts the pending steps there is room for, and says whether the cluster is busy, waiting or done.
    private void Pump()
    {
        bool done;
        lock (_lock)
        {
            if (State is not (EmrStates.Waiting or EmrStates.Running))
                return;
            var busy = _steps.Count(step => step.Started is not null && !step.Settled);
            foreach (var step in _steps.Where(step => step.State == EmrStates.Pending))
            {
                if (busy >= StepConcurrencyLevel)
                    break;
                if (step.TryStart(_time.GetUtcNow()))
                {
                    busy++;
                    // Set under the lock, so a termination that follows always waits for this run.
                    step.Runner = Task.Run(() => RunStepAsync(step));
                    _ = Task.Run(() => FollowAsync(step));
                }
            }

            done = busy == 0 && !KeepAlive && _steps.TrueForAll(step => EmrStates.IsFinalStep(step.State));
            if (busy > 0)
            {
                State = EmrStates.Running;
                Reason = new StateChangeReasonView(null, "Running step");
            }
            else if (State == EmrStates.Running)
            {
                State = EmrStates.Waiting;
                Reason = new StateChangeReasonView(null, "Cluster ready after last step completed.");
            }
        }

        if (done)
            Terminate("ALL_STEPS_COMPLETED", "Steps completed");
    }

    private async Task RunStepAsync(EmrStep step)
    {
        try
        {
            await StepRunner.RunAsync(step, cluster).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            cluster.Logger.JobFailed(e, "EMR step " + step.Id, step.Sequence);
            step.Finish(EmrStates.Failed, null, new FailureDetailsView("LocalLivy internal error", e.Message, null), _time.GetUtcNow());
        }
    }

    // After a step: its action on failure, then the next steps. Whatever happens here, the step is settled, or the
    // cluster would count it as running for ever.
    private async Task FollowAsync(EmrStep step)
    {
        try
        {
            await FollowFailureAsync(step).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
                step.Settled = true;
            Pump();
        }
    }

    private async Task FollowFailureAsync(EmrStep step)
    {
        await step.Runner.ConfigureAwait(false);
        if (step.State == EmrStates.Failed)
        {
            switch (step.ActionOnFailure)
            {
                case EmrStates.TerminateCluster or EmrStates.TerminateJobFlow:
                    Terminate("STEP_FAILURE", $"Shut down as step failed: {step.Id}", withErrors: true);
                    break;
                case EmrStates.CancelAndWait:
                    foreach (var pending in Steps().Where(s => s.State == EmrStates.Pending))
                        pending.RequestCancel($"Cancelled as step {step.Id} failed.", _time.GetUtcNow(), out _);
                    break;
            }
        }
    }

    // The cluster ends whatever a kill did: a cluster left TERMINATING would hold the server's stop.
    private async Task EndAsync(List<EmrStep> steps, bool withErrors)
    {
        try
        {
            foreach (var step in steps)
            {
                if (step.RequestCancel("Cancelled as the cluster was terminated.", _time.GetUtcNow(), out var running) && running is not null)
                    await KillObservedAsync(running, step).ConfigureAwait(false);
            }

            await Task.WhenAll(steps.Select(step => step.Runner)).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                State = withErrors ? EmrStates.TerminatedWithErrors : EmrStates.Terminated;
                Ended = _time.GetUtcNow();
            }
        }
    }

    private async Task KillObservedAsync(LivyBatch batch, EmrStep step)
    {
        try
        {
            await KillAsync(batch).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A kill that failed is logged; the step's process ends with the server at the latest.
        catch (Exception e)
#pragma warning restore CA1031
        {
            cluster.Logger.JobFailed(e, "EMR step " + step.Id + " (kill)", step.Sequence);
        }
    }

    // As Livy's DELETE of a batch: the app's kill when it runs, else the process, else the batch
    // sees Deleting once it has a process.
    private static async Task KillAsync(LivyBatch batch)
    {
        var process = batch.MarkDeleting();
        if (batch.App is { Kill: { } kill } app && !YarnState.IsTerminal(app.State))
            await kill().ConfigureAwait(false);
        else
            process?.Kill();
    }
}
