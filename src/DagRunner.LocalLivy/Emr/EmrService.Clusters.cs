namespace DagRunner.LocalLivy.Emr;

/// <summary>RunJobFlow, DescribeCluster, ListClusters and TerminateJobFlows.</summary>
internal sealed partial class EmrService
{
    private const int ClusterPageSize = 50;

    public RunJobFlowResponse RunJobFlow(RunJobFlowRequest request)
    {
        Require(request.Name, "name");
        if (request.StepConcurrencyLevel is < 1 or > 256)
            throw EmrException.Validation($"StepConcurrencyLevel must be between 1 and 256 (got {request.StepConcurrencyLevel}).");
        var steps = NewSteps(request.Steps ?? [], "steps", request.StepConcurrencyLevel ?? 1);
        var emr = new EmrCluster(NewId("j-"), request, cluster, Time.GetUtcNow());
        _clusters[emr.Id] = emr;
        emr.Add(steps);
        emr.Start();
        return new RunJobFlowResponse(emr.Id, emr.Arn);
    }

    public DescribeClusterResponse DescribeCluster(DescribeClusterRequest request) =>
        new(Find(request.ClusterId, "clusterId").View());

    // Newest first, as EMR lists them; the marker names the first cluster of the next page.
    public ListClustersResponse ListClusters(ListClustersRequest request)
    {
        var states = request.ClusterStates ?? [];
        if (states.FirstOrDefault(state => !EmrStates.ClusterStates.Contains(state)) is { } unknown)
        {
            throw EmrException.Validation($"1 validation error detected: Value '[{unknown}]' at 'clusterStates' failed to satisfy constraint: " +
                $"Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", EmrStates.ClusterStates)}]]");
        }

        var matching = _clusters.Values.OrderByDescending(emr => emr.Created).ThenByDescending(emr => emr.Id, StringComparer.Ordinal)
            .Select(emr => emr.View())
            .Where(view => states.Count == 0 || states.Contains(view.Status.State))
            .Where(view => request.CreatedAfter is not { } after || view.Status.Timeline.CreationDateTime >= after)
            .ToList();
        var from = 0;
        if (request.Marker is { } marker && (from = matching.FindIndex(view => view.Id == marker)) < 0)
            throw EmrException.InvalidRequest($"Marker '{marker}' is not valid.");
        var page = matching.Skip(from).Take(ClusterPageSize)
            .Select(view => new ClusterSummaryView(view.Id, view.Name, view.Status, view.ClusterArn, view.NormalizedInstanceHours)).ToList();
        var next = from + page.Count < matching.Count ? matching[from + page.Count].Id : null;
        return new ListClustersResponse(page, next);
    }

    public EmptyResponse TerminateJobFlows(TerminateJobFlowsRequest request)
    {
        if (request.JobFlowIds is not { Count: > 0 } ids)
            throw EmrException.Validation("1 validation error detected: Value null at 'jobFlowIds' failed to satisfy constraint: Member must not be null");
        // All or nothing: an unknown id refuses the request before any cluster ends.
        var clusters = ids.Select(id => Find(id, "jobFlowIds")).ToList();
        foreach (var emr in clusters)
            emr.Terminate("USER_REQUEST", "Terminated by user request");
        return new EmptyResponse();
    }
}
