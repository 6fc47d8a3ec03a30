using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DagRunner.Clients.Emr;
using DagRunner.Operators.Emr;
using DagRunner.Operators.Tests.Livy;
using DagRunner.Sdk;

namespace DagRunner.Operators.Tests.Emr;

/// <summary>A LocalLivy (a <see cref="LivyTestbed"/>) with <c>aws_default</c> pointing at its EMR endpoint with
/// made-up keys, and the helpers the EMR operator tests share: clusters started through the client, job files in
/// the jobs root (<c>local:///file.py</c>), and bounded polls for a step's or a cluster's state.</summary>
internal static class EmrBed
{
    public const string Aws = "aws_default";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static async Task<LivyTestbed> StartAsync()
    {
        var bed = await LivyTestbed.StartAsync();
        bed.Connections[Aws] = AwsUri(bed);
        return bed;
    }

    /// <summary>As the host's embedded LocalLivy configures it: keys of its own (the endpoint checks the form of the signature only).</summary>
    public static string AwsUri(LivyTestbed bed) =>
        $"aws://AKIDEMRTEST:emr-test-secret@us-east-1?endpoint={Uri.EscapeDataString(bed.Server.EmrUrl.ToString())}";

    public static EmrClient Emr(this LivyTestbed bed) => bed.Clients.Emr(Aws);

    /// <summary>A python job in the jobs root; returns how a step names it (<c>local:///...</c>).</summary>
    public static string Job(this LivyTestbed bed, string script, string prefix = "emr")
    {
        var file = $"{prefix}-{Guid.NewGuid():N}.py";
        bed.Jobs.Write(file, script);
        return $"local:///{file}";
    }

    /// <summary>A cluster that waits for steps, once it is WAITING.</summary>
    public static async Task<string> StartClusterAsync(this LivyTestbed bed, int stepConcurrency = 1, string? logUri = null, string? name = null)
    {
        var created = await bed.Emr().RunJobFlowAsync(new EmrRunJobFlowRequest
        {
            Name = name ?? $"emr-operator-test-{Guid.NewGuid():N}",
            ReleaseLabel = "emr-7.5.0",
            LogUri = logUri,
            StepConcurrencyLevel = stepConcurrency,
            Instances = new EmrInstances { KeepJobFlowAliveWhenNoSteps = true },
        }, Token);
        await bed.WaitForClusterAsync(created.JobFlowId, "WAITING");
        return created.JobFlowId;
    }

    /// <summary>An <see cref="EmrAddStepsOperator"/> on <paramref name="clusterId"/> with fast polls, verified in the bed's YARN;
    /// a lost answer's steps are looked for by name for 3 s.</summary>
    public static EmrAddStepsOperator AddSteps(string taskId, string clusterId, params EmrStepDefinition[] steps)
    {
        var task = new EmrAddStepsOperator(taskId)
        {
            JobFlowId = clusterId,
            PollInterval = TimeSpan.FromMilliseconds(100),
            VerifyIn = VerifyIn.Yarn,
            VerifyTimeout = TimeSpan.FromSeconds(3),
            CleanupTimeout = TimeSpan.FromSeconds(20),
        };
        foreach (var step in steps)
            task.Steps.Add(step);
        return task;
    }

    public static EmrSparkStep Spark(string application) => new() { Application = application };

    public static async Task<IReadOnlyList<EmrStep>> StepsAsync(this LivyTestbed bed, string clusterId) =>
        (await bed.Emr().ListStepsAsync(new EmrListStepsRequest { ClusterId = clusterId }, Token)).Steps;

    /// <summary>The handle the bed's checkpoint store holds for an attempt of <paramref name="taskId"/>.</summary>
    public static Task<EmrStepsHandle?> StepsHandleAsync(this LivyTestbed bed, string taskId, int tryNumber = 1) =>
        bed.Checkpoints.For("d", "manual__2026-11-20T00:00:00+00:00", taskId, tryNumber).LoadAsync<EmrStepsHandle>(EmrStepsHandle.Kind, Token);

    /// <summary>The step once it is in one of <paramref name="states"/> (any terminal state when none is given).</summary>
    public static Task<EmrStep> WaitForStepAsync(this LivyTestbed bed, string clusterId, string stepId, params string[] states) =>
        PollAsync(() => bed.Emr().DescribeStepAsync(clusterId, stepId, Token), step => states.Length == 0 ? step.Status.IsTerminal : states.Contains(step.Status.State));

    public static Task<EmrCluster> WaitForClusterAsync(this LivyTestbed bed, string clusterId, params string[] states) =>
        PollAsync(() => bed.Emr().DescribeClusterAsync(clusterId, Token), cluster => states.Contains(cluster.Status.State));

    /// <summary>Polls until <paramref name="done"/> (steps are real python3 processes): a deadline, not a guessed sleep.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"not reached within {seconds} s; last seen: {value}");
            await Task.Delay(TimeSpan.FromMilliseconds(50), Token);
        }
    }

    /// <summary>Until <paramref name="condition"/> holds (a file a job writes, say), within a deadline.</summary>
    public static Task UntilAsync(Func<bool> condition, int seconds = 60) =>
        PollAsync(() => Task.FromResult(condition()), done => done, seconds);

    /// <summary>A context for <paramref name="taskId"/> whose upstream tasks produced <paramref name="outputs"/>.</summary>
    public static TaskContext Context(this LivyTestbed bed, string taskId, TextWriter log, IReadOnlyDictionary<string, object?> outputs, int tryNumber = 1) =>
        Contexts.For(taskId, log, outputs, services: bed, tryNumber: tryNumber, checkpoints: bed.Checkpoints);

    /// <summary>DescribeCluster as EMR answers it on the wire, for what the client's record does not keep
    /// (<c>StepConcurrencyLevel</c>). Signed in form, as the endpoint checks it.</summary>
    public static async Task<JsonNode> RawClusterAsync(this LivyTestbed bed, string clusterId)
    {
        using var http = new HttpClient { BaseAddress = bed.Server.EmrUrl };
        var json = new JsonObject { ["ClusterId"] = clusterId }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "ElasticMapReduce.DescribeCluster");
        var amzDate = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData("made-up"u8, Encoding.UTF8.GetBytes(amzDate + json)));
        request.Headers.Add("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=AKIDEMRTEST/{amzDate[..8]}/us-east-1/elasticmapreduce/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={signature}");
        using var response = await http.SendAsync(request, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.IsSuccessStatusCode, $"DescribeCluster answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["Cluster"]!;
    }
}

/// <summary>One LocalLivy for a test class (tests of a class run one after another, so faults set by one are used
/// up or cleared before the next).</summary>
public sealed class EmrFixture : IAsyncLifetime
{
    private LivyTestbed? _bed;

    internal LivyTestbed Bed => _bed!;

    public async ValueTask InitializeAsync() => _bed = await EmrBed.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_bed is not null)
            await _bed.DisposeAsync();
    }
}
