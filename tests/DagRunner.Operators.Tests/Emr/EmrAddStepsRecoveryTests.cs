using System.Text.Json;
using DagRunner.Clients.Emr;
using DagRunner.Operators.Emr;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Tests.Livy;

namespace DagRunner.Operators.Tests.Emr;

/// <summary>
/// EmrAddStepsOperator never adds its steps twice: throttled answers are sent again, a lost answer (the server added
/// the step and dropped the connection) is resolved by finding the step by name, and a restarted runner or the next
/// try follows the steps its checkpoint recorded instead of adding others. Faults are LocalLivy's, counted per
/// operation, on a server shared by this class's tests (which run one after another).
/// </summary>
public sealed class EmrAddStepsRecoveryTests(EmrFixture fixture) : IClassFixture<EmrFixture>, IDisposable
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private LivyTestbed Bed => fixture.Bed;

    // A fault a failing test left unused must not reach the next test.
    public void Dispose() => Bed.Server.Faults.Emr.Clear();

    [Fact]
    public async Task ThrottledAddJobFlowStepsAndDescribeStep_SentAgain_OneStepAndSuccess()
    {
        var cluster = await Bed.StartClusterAsync();
        var task = EmrBed.AddSteps("throttled", cluster, EmrBed.Spark(Bed.Job("print('ok')\n")));
        Bed.Server.Faults.Emr.Throttle("AddJobFlowSteps");
        Bed.Server.Faults.Emr.Throttle("DescribeStep", 3);
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("throttled", log), Token));

        var step = Assert.Single(await Bed.StepsAsync(cluster));
        Assert.Equal((step.Id, "COMPLETED"), ((string?)output["step_id"], step.Status.State));
        Assert.Contains("EMR throttled AddJobFlowSteps (ThrottlingException), so nothing was created: sending it again", log.ToString(), StringComparison.Ordinal);
        Assert.Equal("succeeded", (await Bed.StepsHandleAsync("throttled"))!.Verdict);
    }

    [Fact]
    public async Task LostAddJobFlowStepsAnswer_StepFoundByName_NotAddedAgain()
    {
        var cluster = await Bed.StartClusterAsync();
        var task = EmrBed.AddSteps("lost_answer", cluster, EmrBed.Spark(Bed.Job("print('ok')\n")));
        Bed.Server.Faults.Emr.DropAnswer("AddJobFlowSteps");
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("lost_answer", log), Token));

        var step = Assert.Single(await Bed.StepsAsync(cluster));
        Assert.Equal((step.Id, "COMPLETED"), ((string?)output["step_id"], step.Status.State));
        var text = log.ToString();
        Assert.Contains("EMR's answer to AddJobFlowSteps was lost", text, StringComparison.Ordinal);
        Assert.Contains($"Found step {step.Id} ({step.Name}) on the cluster: EMR added it, so nothing is added again.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerErrorOnAddJobFlowSteps_NothingAdded_AddedOnceAfterLooking()
    {
        var cluster = await Bed.StartClusterAsync();
        var task = EmrBed.AddSteps("server_error", cluster, EmrBed.Spark(Bed.Job("print('ok')\n")));
        Bed.Server.Faults.Emr.FailWithServerError("AddJobFlowSteps");
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("server_error", log), Token));

        var step = Assert.Single(await Bed.StepsAsync(cluster));
        Assert.Equal((step.Id, "COMPLETED"), ((string?)output["step_id"], step.Status.State));
        Assert.Contains($"Cluster {cluster} shows none of the steps: EMR did not add them, so they are added now, once.", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartedRunner_StepIdsRecorded_FollowsTheRecordedStep_AddsNone()
    {
        var cluster = await Bed.StartClusterAsync();
        var task = EmrBed.AddSteps("restarted", cluster, EmrBed.Spark(Bed.Job("print('ok')\n")));
        task.WaitForCompletion = false;
        var first = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("restarted", new StringWriter()), Token));
        Assert.Equal(EmrStepsHandle.HandedOver, (await Bed.StepsHandleAsync("restarted"))!.Verdict);

        task.WaitForCompletion = true;
        var log = new StringWriter();
        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("restarted", log), Token));

        var step = Assert.Single(await Bed.StepsAsync(cluster));
        Assert.Equal((step.Id, step.Id), ((string?)first["step_id"], (string?)output["step_id"]));
        Assert.NotNull(output["app_id"]);
        Assert.Contains($"An earlier runner of this attempt added step {step.Id}", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Adding a step", log.ToString(), StringComparison.Ordinal);
        Assert.Equal("succeeded", (await Bed.StepsHandleAsync("restarted"))!.Verdict);
    }

    [Fact]
    public async Task RestartedRunner_HandleStillSubmitting_StepFoundByName_AddsNone()
    {
        var cluster = await Bed.StartClusterAsync();
        var application = Bed.Job("print('ok')\n");
        var log = new StringWriter();
        var context = Bed.Context("submitting", log);
        // What a runner killed while it waited for AddJobFlowSteps' answer leaves: the step added by EMR under the
        // attempt's name and tag, and a handle that knows its name only.
        var name = BatchNaming.DefaultAttemptName(context);
        var tag = BatchNaming.Tag(context) + "-1";
        var added = Assert.Single(await Bed.Emr().AddJobFlowStepsAsync(cluster, [new EmrStepConfig
        {
            Name = name,
            ActionOnFailure = "CONTINUE",
            HadoopJarStep = new EmrHadoopJarStep { Jar = "command-runner.jar", Args = ["spark-submit", "--deploy-mode", "cluster", "--conf", $"spark.yarn.tags={tag}", application] },
        }], Token));
        await context.Checkpoint.SaveAsync(EmrStepsHandle.Kind, new EmrStepsHandle(cluster, [new EmrStepRecord(name, tag)]), Token);
        var task = EmrBed.AddSteps("submitting", cluster, EmrBed.Spark(application));

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(context, Token));

        Assert.Equal(added, output["step_id"]);
        Assert.Equal(added, Assert.Single(await Bed.StepsAsync(cluster)).Id);
        Assert.NotNull(output["app_id"]);
        var text = log.ToString();
        Assert.Contains("never read EMR's answer: looking for its steps by name", text, StringComparison.Ordinal);
        Assert.Contains($"Found step {added} ({name}) on cluster {cluster}: following it instead of adding it again.", text, StringComparison.Ordinal);
        Assert.Equal("succeeded", (await Bed.StepsHandleAsync("submitting"))!.Verdict);
    }

    [Fact]
    public async Task RestartedRunner_HandleSubmitting_NoSuchStep_AddsItOnce()
    {
        var cluster = await Bed.StartClusterAsync();
        var log = new StringWriter();
        var context = Bed.Context("never_added", log);
        await context.Checkpoint.SaveAsync(EmrStepsHandle.Kind, new EmrStepsHandle(cluster, [new EmrStepRecord(BatchNaming.DefaultAttemptName(context), BatchNaming.Tag(context) + "-1")]), Token);
        var task = EmrBed.AddSteps("never_added", cluster, EmrBed.Spark(Bed.Job("print('ok')\n")));

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(context, Token));

        Assert.Equal(output["step_id"], Assert.Single(await Bed.StepsAsync(cluster)).Id);
        Assert.Contains($"Cluster {cluster} shows none of them: none was added, so the steps are added now.", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextTry_PreviousTrysStepNeverWeighed_FollowsIt()
    {
        var cluster = await Bed.StartClusterAsync();
        var task = EmrBed.AddSteps("next_try", cluster, EmrBed.Spark(Bed.Job("print('ok')\n")));
        task.WaitForCompletion = false;
        var firstContext = Bed.Context("next_try", new StringWriter());
        var first = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(firstContext, Token));
        // What a try that failed while it followed its step leaves: the step's id recorded, no verdict.
        var handle = (await Bed.StepsHandleAsync("next_try"))!;
        await firstContext.Checkpoint.SaveAsync(EmrStepsHandle.Kind, handle with { Verdict = null }, Token);

        task.WaitForCompletion = true;
        var log = new StringWriter();
        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("next_try", log, tryNumber: 2), Token));

        Assert.Equal(first["step_id"], output["step_id"]);
        Assert.Single(await Bed.StepsAsync(cluster));
        Assert.Contains("The previous try added step", log.ToString(), StringComparison.Ordinal);
        Assert.Equal("succeeded", (await Bed.StepsHandleAsync("next_try", tryNumber: 2))!.Verdict);
    }

    // Steps handed to a sensor are the previous try's business: a cleared task (a new try) adds its own.
    [Fact]
    public async Task NextTry_PreviousTrysStepsHandedToASensor_AddsItsOwn()
    {
        var cluster = await Bed.StartClusterAsync();
        var task = EmrBed.AddSteps("handed", cluster, EmrBed.Spark(Bed.Job("print('ok')\n")));
        task.WaitForCompletion = false;
        var first = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("handed", new StringWriter()), Token));

        var second = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("handed", new StringWriter(), tryNumber: 2), Token));

        Assert.NotEqual(first["step_id"], second["step_id"]);
        Assert.Equal(2, (await Bed.StepsAsync(cluster)).Count);
        Assert.Equal(EmrStepsHandle.HandedOver, (await Bed.StepsHandleAsync("handed", tryNumber: 2))!.Verdict);
    }

    // A cleared upstream task started a new cluster: the previous try's steps on the old one are left alone.
    [Fact]
    public async Task NextTry_OnAnotherCluster_StepsAddedThere()
    {
        var old = await Bed.StartClusterAsync();
        var task = EmrBed.AddSteps("moved", old, EmrBed.Spark(Bed.Job("print('ok')\n")));
        var firstContext = Bed.Context("moved", new StringWriter());
        task.WaitForCompletion = false;
        await task.ExecuteAsync(firstContext, Token);
        var handle = (await Bed.StepsHandleAsync("moved"))!;
        await firstContext.Checkpoint.SaveAsync(EmrStepsHandle.Kind, handle with { Verdict = null }, Token);
        var replacement = await Bed.StartClusterAsync();
        task.JobFlowId = replacement;
        task.WaitForCompletion = true;
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("moved", log, tryNumber: 2), Token));

        Assert.Equal(replacement, output["job_flow_id"]);
        Assert.Single(await Bed.StepsAsync(replacement));
        Assert.Contains($"The previous try added steps ({handle.Steps[0].StepId}) to cluster {old}, not to {replacement}", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextTry_PreviousTrysStepFailed_StepAddedAgain()
    {
        var cluster = await Bed.StartClusterAsync();
        var once = Bed.Jobs[$"failed-once-{Guid.NewGuid():N}"];
        // Fails the first time it runs, succeeds after.
        var task = EmrBed.AddSteps("retried", cluster, EmrBed.Spark(Bed.Job(
            $"import os\nif not os.path.exists({JsonSerializer.Serialize(once)}):\n    open({JsonSerializer.Serialize(once)}, 'w').write('x')\n    raise RuntimeError('first run fails')\nprint('second run')\n")));
        await Assert.ThrowsAsync<EmrStepFailedException>(() => task.ExecuteAsync(Bed.Context("retried", new StringWriter()), Token));

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("retried", new StringWriter(), tryNumber: 2), Token));

        var steps = await Bed.StepsAsync(cluster);
        Assert.Equal(["COMPLETED", "FAILED"], steps.Select(s => s.Status.State)); // newest first
        Assert.Equal(steps[0].Id, output["step_id"]);
        Assert.EndsWith("-2", steps[0].Name, StringComparison.Ordinal);
    }

    // Two tasks of one run on a shared cluster give their steps the same Name: each step's EMR name carries a hash of
    // its DAG, task and run, so after a server error a task never takes the other's step for its own.
    [Fact]
    public async Task TwoTasksOfARun_SameStepName_ServerError_DoesNotAdoptTheOthersStep()
    {
        var cluster = await Bed.StartClusterAsync();
        var ran = Bed.Jobs[$"second-ran-{Guid.NewGuid():N}"];
        var firstTask = EmrBed.AddSteps("load_sales", cluster, new EmrSparkStep { Name = "load", Application = Bed.Job("print('sales')\n") });
        await firstTask.ExecuteAsync(Bed.Context("load_sales", new StringWriter()), Token);
        var secondTask = EmrBed.AddSteps("load_orders", cluster, new EmrSparkStep { Name = "load", Application = Bed.Job($"open({JsonSerializer.Serialize(ran)}, 'w').write('x')\n") });
        Bed.Server.Faults.Emr.FailWithServerError("AddJobFlowSteps");

        await secondTask.ExecuteAsync(Bed.Context("load_orders", new StringWriter()), Token);

        Assert.Equal(2, (await Bed.StepsAsync(cluster)).Count);
        Assert.True(File.Exists(ran), "the second task's step never ran: it took the first task's step for its own");
    }

    // EMR adds all of a call's steps or none: a restarted runner that finds only some of them by name adds nothing,
    // cancels those it found (nothing may run beside what a retry adds) and records the attempt as failed.
    [Fact]
    public async Task RestartedRunner_OnlySomeStepsFoundByName_FoundOnesCancelled_NothingAdded()
    {
        var cluster = await Bed.StartClusterAsync();
        var release = Bed.Jobs[$"release-{Guid.NewGuid():N}"];
        var waiting = Bed.Job($"import os, time\nwhile not os.path.exists({JsonSerializer.Serialize(release)}):\n    time.sleep(0.05)\n");
        var context = Bed.Context("partial", new StringWriter());
        var names = new[] { BatchNaming.DefaultAttemptName(context) + "-1", BatchNaming.DefaultAttemptName(context) + "-2" };
        var tag = BatchNaming.Tag(context) + "-1";
        try
        {
            var added = Assert.Single(await Bed.Emr().AddJobFlowStepsAsync(cluster, [new EmrStepConfig
            {
                Name = names[0],
                ActionOnFailure = "CONTINUE",
                HadoopJarStep = new EmrHadoopJarStep { Jar = "command-runner.jar", Args = ["spark-submit", "--deploy-mode", "cluster", "--conf", $"spark.yarn.tags={tag}", waiting] },
            }], Token));
            await context.Checkpoint.SaveAsync(EmrStepsHandle.Kind, new EmrStepsHandle(cluster, [new EmrStepRecord(names[0], tag), new EmrStepRecord(names[1], BatchNaming.Tag(context) + "-2")]), Token);
            var task = EmrBed.AddSteps("partial", cluster, EmrBed.Spark(waiting), EmrBed.Spark(waiting));

            var error = await Assert.ThrowsAsync<EmrStepFailedException>(() => task.ExecuteAsync(context, Token));

            Assert.Contains($"shows only {added} of the 2 steps", error.Message, StringComparison.Ordinal);
            Assert.Equal("CANCELLED", (await Bed.WaitForStepAsync(cluster, added, "CANCELLED", "COMPLETED", "FAILED", "INTERRUPTED")).Status.State);
            Assert.Single(await Bed.StepsAsync(cluster));
            Assert.Equal("failed", (await Bed.StepsHandleAsync("partial"))!.Verdict);
        }
        finally
        {
            File.WriteAllText(release, "");
        }
    }
}
