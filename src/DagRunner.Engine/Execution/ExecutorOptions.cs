using DagRunner.Sdk;

namespace DagRunner.Engine.Execution;

/// <summary>How the executor runs tasks: global parallelism, pools, where attempt logs go.</summary>
public sealed class ExecutorOptions
{
    /// <summary>The name of the pool a task uses when it names none.</summary>
    public const string DefaultPool = "default_pool";

    /// <summary>Where attempt logs go: <c>&lt;folder&gt;/&lt;dag&gt;/&lt;run&gt;/&lt;task&gt;/attempt=&lt;n&gt;.log</c>. Required.</summary>
    public required string LogsFolder { get; init; }

    /// <summary>How many task attempts may run at once in this process, across all runs. Default: 32.</summary>
    public int Parallelism { get; init; } = 32;

    /// <summary>Named pools and their slots (a pool that guards a YARN queue or Livy's session limit).
    /// A task in a pool missing here gets <see cref="DefaultPoolSlots"/>. Default: none.</summary>
    public IReadOnlyDictionary<string, int> Pools { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The slots of <c>default_pool</c> and of pools not listed in <see cref="Pools"/>. Default: 128.</summary>
    public int DefaultPoolSlots { get; init; } = 128;

    /// <summary>How long a task cancelled by its timeout may take to clean up its remote work (a Livy
    /// batch to delete) before the run goes on without it. Default: 1 minute.</summary>
    public TimeSpan CleanupGrace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The secrets hidden in attempt logs, errors and what the tasks print; each attempt registers
    /// its secret parameters and conf entries here, and operators what they learn. The host shares it with
    /// its terminal and its run store. Default: a masker of this executor's own.</summary>
    public SecretMasker Secrets { get; init; } = new();

    /// <summary>The name this executor claims runs under in the store (see <see cref="RunOwner"/>).
    /// Default: a new name for this process, <c>host:pid:start:random</c>.</summary>
    public string Owner { get; init; } = RunOwner.NewId();

    /// <summary>How often a runner renews the claims of the runs it executes. Default: 5 seconds.</summary>
    public TimeSpan ClaimHeartbeat { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How old a claim's last heartbeat must be before another runner may take the run over
    /// (a runner on the same machine whose process is gone is taken over at once). Default: 60 seconds.</summary>
    public TimeSpan ClaimStaleAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(LogsFolder);
        if (Parallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(Parallelism), Parallelism, "At least one task must be able to run.");
        if (DefaultPoolSlots < 1 || Pools.Values.Any(slots => slots < 1))
            throw new ArgumentOutOfRangeException(nameof(Pools), "Every pool needs at least one slot.");
        ArgumentException.ThrowIfNullOrWhiteSpace(Owner);
        if (ClaimHeartbeat <= TimeSpan.Zero || ClaimStaleAfter < ClaimHeartbeat * 3)
            throw new ArgumentOutOfRangeException(nameof(ClaimStaleAfter), ClaimStaleAfter, "A claim must outlive at least three heartbeats, so one slow beat never loses a run.");
    }
}
