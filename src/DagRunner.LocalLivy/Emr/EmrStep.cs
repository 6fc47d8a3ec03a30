using DagRunner.LocalLivy.Livy;

namespace DagRunner.LocalLivy.Emr;

/// <summary>One step of a cluster: its configuration and where it is on EMR's way from
/// <c>PENDING</c> to <c>COMPLETED</c>, <c>FAILED</c> or <c>CANCELLED</c>. The batch that runs it is
/// LocalLivy's own (no Livy record), so the step's app is an app like any batch's.</summary>
internal sealed class EmrStep(string id, int sequence, string name, string actionOnFailure, HadoopStepConfigView config, DateTimeOffset created)
{
    private readonly Lock _lock = new();
    private LivyBatch? _batch;
    private bool _cancelRequested;

    public string Id { get; } = id;

    /// <summary>The step's number on this server, shown as the batch number of its Spark job.</summary>
    public int Sequence { get; } = sequence;

    public string Name { get; } = name;
    public string ActionOnFailure { get; } = actionOnFailure;
    public HadoopStepConfigView Config { get; } = config;
    public DateTimeOffset Created { get; } = created;

    public string State { get; private set; } = EmrStates.Pending;
    public DateTimeOffset? Started { get; private set; }
    public DateTimeOffset? Ended { get; private set; }
    public StateChangeReasonView Reason { get; private set; } = new(null, null);
    public FailureDetailsView? Failure { get; private set; }

    /// <summary>Set by the cluster once it has acted on the step's end (its action on failure), so
    /// the next step cannot start before a failure has stopped the cluster.</summary>
    public bool Settled { get; set; }

    /// <summary>The run of the step's job; the cluster awaits it when it terminates.</summary>
    public Task Runner { get; set; } = Task.CompletedTask;

    /// <summary>PENDING → RUNNING, when the cluster has room for the step.</summary>
    public bool TryStart(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (State != EmrStates.Pending)
                return false;
            State = EmrStates.Running;
            Started = now;
            return true;
        }
    }

    /// <summary>Keeps the batch that runs the step, so a cancel can kill it; true when a cancel came first.</summary>
    public bool Attach(LivyBatch batch)
    {
        lock (_lock)
        {
            _batch = batch;
            return _cancelRequested;
        }
    }

    /// <summary>Cancels the step: a pending one at once (null), a running one by killing its batch
    /// (returned; the end of the run makes it CANCELLED). False when it has already ended.</summary>
    public bool RequestCancel(string message, DateTimeOffset now, out LivyBatch? running)
    {
        lock (_lock)
        {
            running = null;
            if (EmrStates.IsFinalStep(State))
                return false;
            if (State == EmrStates.CancelPending)
                return true; // its kill is on its way
            _cancelRequested = true;
            if (State == EmrStates.Pending)
            {
                End(EmrStates.Cancelled, new StateChangeReasonView(null, message), null, now);
                return true;
            }

            State = EmrStates.CancelPending;
            Reason = new StateChangeReasonView(null, message);
            running = _batch;
            return true;
        }
    }

    public bool CancelRequested
    {
        get
        {
            lock (_lock)
                return _cancelRequested;
        }
    }

    /// <summary>Ends the step once; later calls are ignored, so the first cause wins.</summary>
    public void Finish(string state, StateChangeReasonView? reason, FailureDetailsView? failure, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!EmrStates.IsFinalStep(State))
                End(state, reason ?? Reason, failure, now);
        }
    }

    public StepView View()
    {
        lock (_lock)
        {
            var timeline = new StepTimelineView(EpochSeconds(Created), EpochSeconds(Started), EpochSeconds(Ended));
            return new StepView(Id, Name, Config, ActionOnFailure, new StepStatusView(State, Reason, Failure, timeline));
        }
    }

    public static double EpochSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    public static double? EpochSeconds(DateTimeOffset? time) => time is { } t ? EpochSeconds(t) : null;

    private void End(string state, StateChangeReasonView reason, FailureDetailsView? failure, DateTimeOffset now)
    {
        State = state;
        Reason = reason;
        Failure = failure;
        Ended = now;
    }
}
