using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.Clients.Yarn;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Remote;
using DagRunner.Operators.SparkSubmit.Launch;

namespace DagRunner.Operators.SparkSubmit;

/// <summary>The outcome of a spark-submit app, on evidence: spark-submit's exit code when it was seen, YARN
/// (followed until the app ends: with <c>spark.yarn.submit.waitAppCompletion=false</c> spark-submit exits at
/// once) and Spark.</summary>
internal sealed partial class SparkSubmitRun
{
    private bool HasYarn => clients.IsConfigured(_yarnConnectionId);

    private async Task<object?> AfterSparkSubmitAsync(SubmitEnd end, CancellationToken cancellationToken)
    {
        var askYarn = task.VerifyIn.HasFlag(VerifyIn.Yarn) || end.Lost is not null;
        if (!askYarn && !task.VerifyIn.HasFlag(VerifyIn.Spark))
            return await ConcludeAsync([ExitEvidence(end.ExitCode!.Value)], cancellationToken).ConfigureAwait(false);

        if (_handle!.AppId is null && askYarn)
        {
            // Its id may not have been printed (a quiet log4j), or the connection dropped first: the tag finds it.
            var app = await FindByTagAsync(end.Lost is null ? TimeSpan.Zero : task.VerifyTimeout, cancellationToken).ConfigureAwait(false);
            if (app is null)
            {
                // Nothing in YARN yet, and spark-submit may still run where the connection was lost: stopped, so it
                // cannot submit after this attempt gave up on it.
                if (end.Lost is not null)
                    await StopUnreachableAsync().ConfigureAwait(false);
                var why = end.Lost is not null
                    ? $"{end.Lost} before spark-submit printed an app id, and YARN showed no app tagged {_tag} within {RestTransport.Seconds(task.VerifyTimeout)} ({task.GetType().Name}.{nameof(SparkSubmitJobOperator.VerifyTimeout)}). Nothing was submitted again: a retry looks for the tag first."
                    : end.ExitCode != 0
                        ? $"spark-submit exited with code {end.ExitCode} and YARN shows no app tagged {_tag}: it failed before an app was submitted (its output is above)."
                        : $"spark-submit exited with code 0 but printed no application id, and YARN shows no app tagged {_tag}. If the master is not YARN, set {nameof(SparkSubmitJobOperator.VerifyIn)} = VerifyIn.None.";
                throw new SparkSubmitFailedException(why);
            }

            _handle = _handle with { AppId = app.Id, Verdict = null };
            _log.WriteLine($"YARN shows app {app.Id} tagged {_tag}: recorded.");
            await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        }

        return await FollowAndVerifyAsync(end.ExitCode, cancellationToken).ConfigureAwait(false);
    }

    // Follows the app in YARN until it ends (when YARN is asked), then weighs every source.
    private async Task<object?> FollowAndVerifyAsync(int? exitCode, CancellationToken cancellationToken)
    {
        var askYarn = task.VerifyIn.HasFlag(VerifyIn.Yarn) || exitCode is null;
        var verifier = new OutcomeVerifier(clients.Time, _log, task.VerifyTimeout);
        if (askYarn && _handle!.AppId is not null)
            await FollowInYarnAsync(_handle.AppId, cancellationToken).ConfigureAwait(false);
        var evidence = new List<Evidence>();
        if (exitCode is { } code)
            evidence.Add(ExitEvidence(code));
        if (askYarn)
            evidence.Add(await verifier.YarnAsync(clients.Yarn(_yarnConnectionId), _handle!.AppId, _handle.Tag, cancellationToken).ConfigureAwait(false));
        if (task.VerifyIn.HasFlag(VerifyIn.Spark))
            evidence.Add(await verifier.SparkAsync(clients.Spark(_sparkConnectionId), _handle!.AppId, cancellationToken).ConfigureAwait(false));
        return await ConcludeAsync(evidence, cancellationToken).ConfigureAwait(false);
    }

    private static Evidence ExitEvidence(int code) => new("spark-submit", code == 0, $"exit code {code}");

    // Polls YARN until the app is in a final state; a YARN that cannot be reached is waited out until
    // UnreachableTimeout, which the failure then names.
    private async Task FollowInYarnAsync(string appId, CancellationToken cancellationToken)
    {
        var yarn = clients.Yarn(_yarnConnectionId);
        var poll = new AdaptivePoll(task.PollInterval);
        var unreachable = new UnreachableWatch(clients.Time, task.UnreachableTimeout, $"{task.GetType().Name}.{nameof(SparkSubmitJobOperator.UnreachableTimeout)}");
        var said = "";
        while (true)
        {
            try
            {
                var app = await yarn.GetAppAsync(appId, cancellationToken).ConfigureAwait(false);
                unreachable.Reached();
                if (app is null || app.IsTerminal)
                    return;
                if (app.State != said)
                {
                    _log.WriteLine($"[dagrunner] YARN: app {appId} is {app.State}; following it until it ends.");
                    said = app.State;
                }
            }
            catch (RemoteApiException e)
            {
                unreachable.Failed(e, $"YARN at {yarn.Transport.Connection}", $"while following app {appId}");
                _log.WriteLine($"Could not ask YARN about app {appId} ({e.Message}); trying again.");
            }

            await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Asks YARN for an app carrying the attempt's tag, for up to `wait` (YARN may take a moment to show an
    // app submitted just before a connection dropped).
    private async Task<YarnApp?> FindByTagAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var yarn = clients.Yarn(_yarnConnectionId);
        var started = clients.Time.GetTimestamp();
        var poll = new AdaptivePoll(task.PollInterval);
        while (true)
        {
            var tagged = await yarn.FindAppsByTagAsync(_tag, cancellationToken).ConfigureAwait(false);
            if (tagged.Count > 0)
                return tagged[0];
            if (clients.Time.GetElapsedTime(started) >= wait)
                return null;
            await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The verdict is recorded with the handle; success is the task's output, a failure says who said
    // what, an unknown verdict which source could not be asked, and leaves the app to be asked about again.
    private async Task<object?> ConcludeAsync(IReadOnlyList<Evidence> evidence, CancellationToken cancellationToken)
    {
        var verifier = new OutcomeVerifier(clients.Time, _log, task.VerifyTimeout);
        var app = $"app {_handle!.AppId ?? "(tag " + _handle.Tag + ")"} (spark-submit on {_handle.Host})";
        var what = "A" + app[1..];
        _log.WriteLine($"Outcome of {app}:");
        var verdict = verifier.Decide(evidence);
        _handle = _handle with
        {
            Verdict = verdict.ToString().ToLowerInvariant(),
            Evidence = [.. evidence.Select(e => new SourceEvidence(e.Source, e.Verdict.ToString().ToLowerInvariant(), e.Said))],
        };
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        var sources = string.Join(", ", evidence.Select(e => $"{e.Source} {OutcomeVerifier.Word(e.Verdict).ToLowerInvariant()}"));
        if (verdict == Verdict.Succeeded)
            return _handle.ToOutput();
        if (verdict == Verdict.Unknown)
        {
            throw new SparkSubmitVerdictUnknownException($"{what}: verdict unknown: " +
                string.Join("; ", evidence.Where(e => e.Verdict == Verdict.Unknown).Select(e => $"{e.Source} at {e.Where} {e.Said}")) +
                $". No source says it failed ({sources}), so a retry asks about the app again instead of submitting the job again.");
        }

        var disagreement = evidence.Any(e => e.Verdict != Verdict.Failed) ? "the sources disagree" : "every source says it failed";
        throw new SparkSubmitFailedException($"{what} did not succeed: {disagreement} ({sources}). " +
            string.Join("; ", evidence.Where(e => e.Verdict == Verdict.Failed).Select(e => $"{e.Source}: {e.Said}")));
    }

    // Asks again about an app whose verdict stayed unknown. Null when the evidence now says the previous
    // try's app failed: only then does spark-submit run again.
    private async Task<object?> ReverifyAsync(SparkSubmitHandle unknown, bool own, CancellationToken cancellationToken)
    {
        _handle = unknown;
        await SaveHandleAsync(cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"The verdict on app {unknown.AppId ?? "(tag " + unknown.Tag + ")"} was unknown: asking about it again instead of submitting the job again.");
        try
        {
            return await FollowAndVerifyAsync(unknown.ExitCode, cancellationToken).ConfigureAwait(false);
        }
        catch (SparkSubmitFailedException e) when (!own)
        {
            _log.WriteLine($"{e.Message} The evidence says it failed, so spark-submit runs again.");
            _handle = null;
            return null;
        }
    }

    // A timeout, a cancellation or a lost YARN must not leave the job running: spark-submit and what it
    // started are ended, then the app is killed in YARN (by id, else every app carrying the tag).
    private async Task CleanUpAsync()
    {
        // Each step on its own: spark-submit that cannot be stopped (an SSH host gone) never keeps the app
        // from being killed in YARN.
        if (_running is { } running)
        {
            using var budget = new CancellationTokenSource(task.CleanupTimeout, clients.Time);
            try
            {
                if (running.Pid is null)
                    await StopUnreachableAsync().ConfigureAwait(false); // its pid never came: found by its tag
                await running.StopAsync(budget.Token).ConfigureAwait(false);
                _log.WriteLine($"Stopped spark-submit (pid {running.Pid} on {host.Name}) and every process it started.");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var why = e is OperationCanceledException ? $"it took longer than {RestTransport.Seconds(task.CleanupTimeout)}" : e.Message;
                _log.WriteLine($"Could not stop spark-submit (pid {running.Pid} on {host.Name}): {why}. Killing its app in YARN all the same.");
            }
        }

        if (!HasYarn)
            return;
        await KillInYarnAsync().ConfigureAwait(false);
    }

    // spark-submit whose connection was lost before it printed an app id: stopped by its pid (over a new
    // connection), else by the tag on its command line.
    private async Task StopUnreachableAsync()
    {
        using var budget = new CancellationTokenSource(task.CleanupTimeout, clients.Time);
        try
        {
            if (_running is { Pid: not null } running)
                await running.StopAsync(budget.Token).ConfigureAwait(false);
            else if (await host.StopEarlierAsync(_tag, budget.Token).ConfigureAwait(false))
                _log.WriteLine($"Stopped spark-submit on {host.Name} (tag {_tag}).");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.WriteLine($"Could not stop spark-submit on {host.Name} ({e.Message}): look for a process holding {_tag} there.");
        }
    }

    private async Task KillInYarnAsync()
    {
        using var yarnBudget = new CancellationTokenSource(task.CleanupTimeout, clients.Time);
        var token = yarnBudget.Token;
        try
        {
            var tag = _handle?.Tag ?? _tag;
            var apps = await YarnKill.KillAsync(clients.Yarn(_yarnConnectionId), _handle?.AppId, tag, _log, "", token).ConfigureAwait(false);
            if (apps.Count == 0)
                _log.WriteLine($"YARN shows no app {_handle?.AppId ?? "tagged " + tag}: nothing left to kill there.");
        }
        catch (Exception e) when (e is RemoteApiException or OperationCanceledException or ConnectionException)
        {
            var why = e is OperationCanceledException && token.IsCancellationRequested
                ? $"it took longer than {RestTransport.Seconds(task.CleanupTimeout)} ({task.GetType().Name}.{nameof(SparkSubmitJobOperator.CleanupTimeout)})"
                : e.Message;
            _log.WriteLine($"App {_handle?.AppId ?? "(tag " + _tag + ")"} could not be killed in YARN: {why}. Kill it by hand (yarn application -kill).");
        }
    }
}
