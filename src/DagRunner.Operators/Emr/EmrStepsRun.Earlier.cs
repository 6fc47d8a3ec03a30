using DagRunner.Clients.Emr;

namespace DagRunner.Operators.Emr;

/// <summary>Steps an earlier runner of this attempt (it was killed or restarted) or the previous try added whose
/// outcome was never weighed: followed instead of added again; found by name when their ids were never read.</summary>
internal sealed partial class EmrStepsRun
{
    private sealed record Earlier(EmrStepsHandle Handle, bool Own);

    // This attempt's handle when a runner of it got that far; otherwise the previous try's, when its outcome was never
    // weighed. Either only when it is of the cluster the task names now: steps on another cluster (one a cleared
    // upstream task replaced) are left alone, and the steps are added to this one.
    private async Task<Earlier?> EarlierAsync(CancellationToken cancellationToken)
    {
        var earlier = await context.Checkpoint.LoadAsync<EmrStepsHandle>(EmrStepsHandle.Kind, cancellationToken).ConfigureAwait(false) is { } own
            ? new Earlier(own, true)
            : await context.Checkpoint.LoadPreviousAsync<EmrStepsHandle>(EmrStepsHandle.Kind, cancellationToken).ConfigureAwait(false) is
                { Verdict: null or EmrStepsHandle.Submitting or EmrStepsHandle.Unknown } previous
                ? new Earlier(previous, false)
                : null;
        var clusterId = fields.Text(nameof(EmrAddStepsOperator.JobFlowId));
        if (earlier is null || earlier.Handle.ClusterId == clusterId)
            return earlier;
        var ids = string.Join(", ", earlier.Handle.Steps.Select(s => s.StepId ?? s.Name));
        _log.WriteLine($"{(earlier.Own ? "An earlier runner of this attempt" : "The previous try")} added steps ({ids}) to cluster {earlier.Handle.ClusterId}, not to {clusterId}, which the task names now: they are left alone.");
        return null;
    }

    // The outcome of the earlier steps; null when the evidence says none was added or (for the previous try's)
    // that they ended without success: only then are steps added.
    private async Task<object?> AdoptAsync(EmrStepsHandle earlier, bool own, CancellationToken cancellationToken)
    {
        var whose = own ? "An earlier runner of this attempt" : "The previous try";
        _handle = earlier;
        switch (earlier.Verdict)
        {
            case "succeeded" when own:
                _log.WriteLine($"{whose} already saw {Steps()} succeed.");
                return earlier.ToOutput();
            case EmrStepsHandle.HandedOver when own && !task.WaitForCompletion:
                _log.WriteLine($"{whose} already added {Steps()} for a sensor to wait for.");
                return earlier.ToOutput();
            case "failed" when own:
                var said = earlier.Steps.SelectMany(s => (s.Evidence ?? []).Where(e => e.Verdict != "succeeded").Select(e => $"step {s.StepId} {e.Source}: {e.Said}")).ToList();
                throw new EmrStepFailedException($"{Steps()} did not succeed, as an earlier runner of this attempt found" +
                    (said.Count > 0 ? ": " + string.Join("; ", said) : " (its log says why); a retry or a cleared task adds its own steps."));
        }

        // Carried over under this attempt first: should this attempt fail while it looks, the next try still
        // finds the steps to look for.
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        if (earlier.Steps.Any(s => s.StepId is null))
        {
            _log.WriteLine($"{whose} sent AddJobFlowSteps to cluster {earlier.ClusterId} and never read EMR's answer: looking for its steps by name before anything is added.");
            var found = await FindByNameAsync(earlier.ClusterId, [.. earlier.Steps.Select(s => s.Name)], cancellationToken).ConfigureAwait(false);
            if (found.Count == 0)
            {
                _log.WriteLine($"Cluster {earlier.ClusterId} shows none of them: none was added, so the steps are added now.");
                _handle = null;
                return null;
            }

            if (found.Count < earlier.Steps.Count)
                throw await GiveUpAsync(found, $"Cluster {earlier.ClusterId} shows only {string.Join(", ", found.Values.Select(s => s.Id))} of the {earlier.Steps.Count} steps {whose.ToLowerInvariant()} added: nothing is added again by this try (look at the cluster's steps; a retry or a cleared task adds its own).", cancellationToken).ConfigureAwait(false);
            _handle = earlier with { Steps = [.. earlier.Steps.Select(s => s with { StepId = found[s.Name].Id })], Verdict = null };
            await SaveAsync(cancellationToken).ConfigureAwait(false);
            _log.WriteLine($"Found {Steps()}: following {(found.Count == 1 ? "it" : "them")} instead of adding {(found.Count == 1 ? "it" : "them")} again.");
        }
        else if (earlier.Verdict == EmrStepsHandle.Unknown)
        {
            _log.WriteLine($"The verdict on {Steps()} was unknown: asking about {(earlier.Steps.Count == 1 ? "it" : "them")} again instead of adding steps again.");
            _handle = earlier with { Verdict = null };
        }
        else
        {
            _handle = earlier with { Verdict = null };
            _log.WriteLine($"{whose} added {Steps()}, and their outcome was never weighed: following them instead of adding them again.");
        }

        if (!task.WaitForCompletion)
            return await AfterAddedAsync(cancellationToken).ConfigureAwait(false);
        await FollowAsync(cancellationToken).ConfigureAwait(false);
        if (!own && _handle.Steps.Any(s => s.State is { } state && IsTerminal(state) && state != "COMPLETED"))
        {
            _log.WriteLine($"{Steps()} of the previous try ended {string.Join(", ", _handle.Steps.Select(s => s.State))}: the steps are added again.");
            _handle = null;
            return null;
        }

        try
        {
            return await VerifyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EmrStepFailedException e) when (!own)
        {
            _log.WriteLine($"{e.Message} The evidence says the previous try's steps failed, so they are added again.");
            _handle = null;
            return null;
        }
    }

    // The cluster's steps carrying these names (names are unique per attempt), newest first. Until all show, EMR is
    // asked again (it may take a moment to list steps it has just added; AddJobFlowSteps adds all or none) until
    // VerifyTimeout: only then are the missing ones taken for not added.
    private Task<Dictionary<string, EmrStep>> FindByNameAsync(string clusterId, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        EmrListing.LookAsync(() => ListByNameAsync(clusterId, names, cancellationToken), found => found.Count == names.Count, task.VerifyTimeout, clients.Time, cancellationToken);

    private async Task<Dictionary<string, EmrStep>> ListByNameAsync(string clusterId, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, EmrStep>(StringComparer.Ordinal);
        string? marker = null;
        for (var page = 0; page < EmrListing.MaxPages; page++)
        {
            var steps = await Emr.ListStepsAsync(new EmrListStepsRequest { ClusterId = clusterId, Marker = marker }, cancellationToken).ConfigureAwait(false);
            foreach (var step in steps.Steps ?? [])
            {
                if (step.Name is { } name && names.Contains(name, StringComparer.Ordinal))
                    found.TryAdd(name, step); // newest first: the first seen is the latest with that name
            }

            marker = steps.Marker;
            if (marker is null || found.Count == names.Count)
                break;
        }

        return found;
    }
}
