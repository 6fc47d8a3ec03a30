using DagRunner.Engine.Runs;

namespace DagRunner.Storage.Sqlite;

// Run claims: who executes a run. Each is one write transaction (BEGIN IMMEDIATE), so two processes
// claiming at once are ordered by SQLite's write lock and exactly one of them wins.
public sealed partial class SqliteRunStore
{
    /// <inheritdoc />
    public async Task<RunClaim> ClaimRunAsync(string dagId, string runId, string owner, DateTimeOffset now, DateTimeOffset staleBefore, string? goneHolder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        RunClaim? claim = null;
        await _writer.WriteAsync(db =>
        {
            var before = db.Row("SELECT claimed_by, claim_heartbeat_at, state FROM dag_run WHERE dag_id = $dag AND run_id = $run", ("$dag", dagId), ("$run", runId));
            if (before is null)
            {
                claim = new RunClaim { Held = false };
                return;
            }

            var taken = db.Execute(
                """
                UPDATE dag_run SET claimed_by = $owner, claim_heartbeat_at = $now
                WHERE dag_id = $dag AND run_id = $run
                    AND (claimed_by IS NULL OR claimed_by = $owner OR claim_heartbeat_at < $stale OR claimed_by = $gone)
                """,
                ("$owner", owner), ("$now", Time(now)), ("$dag", dagId), ("$run", runId), ("$stale", Time(staleBefore)), ("$gone", goneHolder)) > 0;
            var holder = before[0] as string;
            var heartbeat = before[1] is string text ? ParseTime(text) : (DateTimeOffset?)null;
            if (!taken)
            {
                claim = new RunClaim { Held = false, Holder = holder, HeartbeatAt = heartbeat };
                return;
            }

            var takenFrom = holder is not null && holder != owner ? holder : null;
            if (takenFrom is not null)
            {
                var state = (string)before[2]!;
                var why = holder == goneHolder ? "its process is gone" : $"its last heartbeat was at {Time(heartbeat)}";
                InsertEvent(db, new RunEvent { DagId = dagId, RunId = runId, At = now, From = state, To = state, Message = $"taken over by {owner} from {takenFrom} ({why})" });
            }

            claim = new RunClaim { Held = true, Holder = owner, HeartbeatAt = now, TakenFrom = takenFrom };
        }, cancellationToken).ConfigureAwait(false);
        return claim!;
    }

    /// <inheritdoc />
    public async Task<bool> RenewClaimAsync(string dagId, string runId, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = false;
        await _writer.WriteAsync(db => held = db.Execute(
            "UPDATE dag_run SET claim_heartbeat_at = $now WHERE dag_id = $dag AND run_id = $run AND claimed_by = $owner",
            ("$now", Time(now)), ("$dag", dagId), ("$run", runId), ("$owner", owner)) > 0, cancellationToken).ConfigureAwait(false);
        return held;
    }

    /// <inheritdoc />
    public Task ReleaseClaimAsync(string dagId, string runId, string owner, CancellationToken cancellationToken) =>
        _writer.WriteAsync(db => db.Execute(
            "UPDATE dag_run SET claimed_by = NULL, claim_heartbeat_at = NULL WHERE dag_id = $dag AND run_id = $run AND claimed_by = $owner",
            ("$dag", dagId), ("$run", runId), ("$owner", owner)), cancellationToken);
}
