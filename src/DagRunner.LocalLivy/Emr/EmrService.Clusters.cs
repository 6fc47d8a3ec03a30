namespace DagRunner.LocalLivy.Emr;

/// <summary>RunJobFlow, DescribeCluster and TerminateJobFlows.</summary>
internal sealed partial class EmrService
{
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
