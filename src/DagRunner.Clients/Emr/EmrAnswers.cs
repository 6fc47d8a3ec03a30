namespace DagRunner.Clients.Emr;

// The answers' envelopes, as EMR writes them; the client hands out what is inside.

internal sealed record DescribeClusterAnswer(EmrCluster Cluster);

internal sealed record DescribeStepAnswer(EmrStep Step);

internal sealed record AddJobFlowStepsAnswer(IReadOnlyList<string> StepIds);

internal sealed record CancelStepsAnswer(IReadOnlyList<EmrCancelStepsInfo>? CancelStepsInfoList);

internal sealed record EmptyAnswer;
