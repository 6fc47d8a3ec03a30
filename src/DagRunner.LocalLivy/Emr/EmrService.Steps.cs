using System.Globalization;

namespace DagRunner.LocalLivy.Emr;

/// <summary>AddJobFlowSteps, DescribeStep, ListSteps and CancelSteps.</summary>
internal sealed partial class EmrService
{
    private const int StepPageSize = 50;

    public AddJobFlowStepsResponse AddJobFlowSteps(AddJobFlowStepsRequest request)
    {
        var emr = Find(request.JobFlowId, "jobFlowId");
        if (request.Steps is not { Count: > 0 and <= 256 } configs)
            throw EmrException.Validation("1 validation error detected: Value at 'steps' failed to satisfy constraint: Member must have length between 1 and 256");
        var steps = NewSteps(configs, "steps", emr.StepConcurrencyLevel);
        emr.Add(steps);
        return new AddJobFlowStepsResponse([.. steps.Select(step => step.Id)]);
    }

    public DescribeStepResponse DescribeStep(DescribeStepRequest request)
    {
        var emr = Find(request.ClusterId, "clusterId");
        Require(request.StepId, "stepId");
        return new DescribeStepResponse(FindStep(emr, request.StepId!).View());
    }

    public ListStepsResponse ListSteps(ListStepsRequest request)
    {
        var emr = Find(request.ClusterId, "clusterId");
        var states = request.StepStates ?? [];
        if (states.FirstOrDefault(state => !EmrStates.StepStates.Contains(state)) is { } unknown)
        {
            throw EmrException.Validation($"1 validation error detected: Value '[{unknown}]' at 'stepStates' failed to satisfy constraint: " +
                $"Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", EmrStates.StepStates)}]]");
        }

        var ids = request.StepIds ?? [];
        var matching = emr.Steps().Select(step => step.View())
            .Where(step => states.Count == 0 || states.Contains(step.Status.State))
            .Where(step => ids.Count == 0 || ids.Contains(step.Id))
            .ToList();
        // The marker names the first step of the next page (not its index): steps added between two pages
        // come first (newest first) and do not shift the pages after them.
        var from = 0;
        if (request.Marker is { } marker && (from = matching.FindIndex(step => step.Id == marker)) < 0)
            throw EmrException.InvalidRequest($"Marker '{marker}' is not valid.");
        var page = matching.Skip(from).Take(StepPageSize).ToList();
        var next = from + page.Count < matching.Count ? matching[from + page.Count].Id : null;
        return new ListStepsResponse(page, next);
    }

    public CancelStepsResponse CancelSteps(CancelStepsRequest request)
    {
        var emr = Find(request.ClusterId, "clusterId");
        if (request.StepIds is not { Count: > 0 } ids)
            throw EmrException.Validation("1 validation error detected: Value null at 'stepIds' failed to satisfy constraint: Member must not be null");
        if (request.StepCancellationOption is { } option && option is not ("SEND_INTERRUPT" or "TERMINATE_PROCESS"))
            throw EmrException.Validation($"1 validation error detected: Value '{option}' at 'stepCancellationOption' failed to satisfy constraint: Member must satisfy enum value set: [SEND_INTERRUPT, TERMINATE_PROCESS]");
        var answers = ids.Select(id =>
        {
            if (emr.Step(id) is not { } step)
                return new CancelStepsInfoView(id, EmrStates.Failed, $"Step id '{id}' is not valid.");
            return emr.Cancel(step) is { } reason
                ? new CancelStepsInfoView(id, EmrStates.Failed, reason)
                : new CancelStepsInfoView(id, "SUBMITTED", null);
        });
        return new CancelStepsResponse([.. answers]);
    }

    private static EmrStep FindStep(EmrCluster emr, string id) =>
        emr.Step(id) ?? throw EmrException.InvalidRequest($"Step id '{id}' is not valid.");

    // Every step is checked before any is added: EMR adds all of a request's steps or none.
    private List<EmrStep> NewSteps(IReadOnlyList<StepConfig> configs, string member, int stepConcurrencyLevel)
    {
        var steps = new List<EmrStep>(configs.Count);
        for (var i = 0; i < configs.Count; i++)
        {
            var config = configs[i];
            var at = $"{member}.{i + 1}";
            if (config.Name is null)
                Require(null, at + ".member.name"); // an empty name is allowed
            Require(config.HadoopJarStep?.Jar, at + ".member.hadoopJarStep.jar");
            // The API leaves ActionOnFailure optional without naming a default; CONTINUE (the SDKs'
            // and CDK's choice) never ends a cluster unasked.
            var action = config.ActionOnFailure ?? EmrStates.Continue;
            if (!EmrStates.ActionsOnFailure.Contains(action))
            {
                throw EmrException.Validation($"1 validation error detected: Value '{action}' at '{at}.member.actionOnFailure' failed to satisfy constraint: " +
                    "Member must satisfy enum value set: [TERMINATE_JOB_FLOW, TERMINATE_CLUSTER, CANCEL_AND_WAIT, CONTINUE]");
            }

            // Steps that run side by side cannot stop the others (EMR refuses these at submission).
            if (stepConcurrencyLevel > 1 && action is EmrStates.CancelAndWait or EmrStates.TerminateCluster or EmrStates.TerminateJobFlow)
                throw EmrException.Validation($"ActionOnFailure {action} is not valid for a cluster whose StepConcurrencyLevel is greater than 1.");

            var jar = config.HadoopJarStep!;
            var properties = (jar.Properties ?? []).Where(p => p.Key is not null).ToDictionary(p => p.Key!, p => p.Value ?? "", StringComparer.Ordinal);
            var view = new HadoopStepConfigView(jar.Jar!, properties, jar.MainClass, jar.Args ?? []);
            steps.Add(new EmrStep(NewId("s-"), Interlocked.Increment(ref _stepSequence), config.Name!, action, view, Time.GetUtcNow()));
        }

        return steps;
    }
}
