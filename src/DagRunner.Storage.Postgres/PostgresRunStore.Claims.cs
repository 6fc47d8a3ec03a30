using DagRunner.Engine.Runs;

namespace DagRunner.Storage.Postgres;

// Run claims: who executes a run. The run's row is locked (FOR UPDATE) for the claim's transaction, so of two
// processes claiming at once (on one machine or two) the second waits and reads the first one's claim.
public sealed partial class PostgresRunStore
{
    /// <inheritdoc />
    public async Task<RunClaim> ClaimRunAsync(string dagId, string runId, string owner, DateTimeOffset now, DateTimeOffset staleBefore, string? goneHolder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        RunClaim? claim = null;
        await WriteAsync(async db =>
        {
            var before = await db.RowAsync("SELECT claimed_by, claim_heartbeat_at, state FROM dag_run WHERE dag_id = @dag AND run_id = @run FOR UPDATE", ("dag", dagId), ("run", runId)).ConfigureAwait(false);
            if (before is null)
            {
                claim = new RunClaim { Held = false };
                return;
            }

            var holder = before[0] as string;
            var heartbeat = before[1] is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : (DateTimeOffset?)null;
            var free = holder is null || holder == owner || (heartbeat is { } last && last < Time(staleBefore)) || holder == goneHolder;
            if (!free)
            {
                claim = new RunClaim { Held = false, Holder = holder, HeartbeatAt = heartbeat };
                return;
            }

            await db.ExecuteAsync("UPDATE dag_run SET claimed_by = @owner, claim_heartbeat_at = @now WHERE dag_id = @dag AND run_id = @run",
                ("owner", owner), ("now", Time(now)), ("dag", dagId), ("run", runId)).ConfigureAwait(false);
            var takenFrom = holder is not null && holder != owner ? holder : null;
            if (takenFrom is not null)
            {
                var state = (string)before[2]!;
                var why = holder == goneHolder ? "its process is gone" : $"its last heartbeat was at {Text(heartbeat)}";
                await InsertEventAsync(db, new RunEvent { DagId = dagId, RunId = runId, At = now, From = state, To = state, Message = $"taken over by {owner} from {takenFrom} ({why})" }).ConfigureAwait(false);
            }

            claim = new RunClaim { Held = true, Holder = owner, HeartbeatAt = Time(now), TakenFrom = takenFrom };
        }, cancellationToken).ConfigureAwait(false);
        return claim!;
    }

    /// <inheritdoc />
    public async Task<bool> RenewClaimAsync(string dagId, string runId, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = false;
        await WriteAsync(async db => held = await db.ExecuteAsync(
            "UPDATE dag_run SET claim_heartbeat_at = @now WHERE dag_id = @dag AND run_id = @run AND claimed_by = @owner",
            ("now", Time(now)), ("dag", dagId), ("run", runId), ("owner", owner)).ConfigureAwait(false) > 0, cancellationToken).ConfigureAwait(false);
        return held;
    }

    /// <inheritdoc />
    public Task ReleaseClaimAsync(string dagId, string runId, string owner, CancellationToken cancellationToken) =>
        WriteAsync(db => db.ExecuteAsync(
            "UPDATE dag_run SET claimed_by = NULL, claim_heartbeat_at = NULL WHERE dag_id = @dag AND run_id = @run AND claimed_by = @owner",
            ("dag", dagId), ("run", runId), ("owner", owner)), cancellationToken);
}
