using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Emr;

/// <summary>Talks to LocalLivy's EMR endpoint as an AWS SDK does: JSON 1.1 on <c>POST /</c>, the
/// operation in <c>X-Amz-Target</c>, and a SigV4 <c>Authorization</c> header of the right form
/// (the server checks the form only, so the signature is an HMAC of the body under a made-up key).</summary>
internal static class EmrKit
{
    public const string ContentType = "application/x-amz-json-1.1";

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public static HttpRequestMessage Request(string operation, JsonNode? body, bool signed = true, string service = "elasticmapreduce")
    {
        var json = (body ?? new JsonObject()).ToJsonString();
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        request.Headers.Add("X-Amz-Target", "ElasticMapReduce." + operation);
        if (!signed)
            return request;
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData("local-secret"u8, Encoding.UTF8.GetBytes(amzDate + json)));
        request.Headers.Add("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=AKIDLOCAL/{amzDate[..8]}/us-east-1/{service}/aws4_request, " +
            $"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={signature}");
        return request;
    }

    /// <summary>Sends one operation and returns the status, the parsed body and the response.</summary>
    public static async Task<(int Status, JsonNode Body, HttpResponseMessage Response)> SendAsync(this LivyTestServer livy, HttpRequestMessage request)
    {
        using (request)
        {
            var response = await livy.Http.SendAsync(request, Token);
            var text = await response.Content.ReadAsStringAsync(Token);
            Assert.Equal(ContentType, response.Content.Headers.ContentType?.MediaType);
            return ((int)response.StatusCode, LivyTestHelpers.Json(text), response);
        }
    }

    public static Task<(int Status, JsonNode Body, HttpResponseMessage Response)> EmrAsync(this LivyTestServer livy, string operation, JsonNode? body = null) =>
        livy.SendAsync(Request(operation, body));

    /// <summary>Sends an operation that must succeed and returns its answer.</summary>
    public static async Task<JsonNode> EmrOkAsync(this LivyTestServer livy, string operation, JsonNode? body = null)
    {
        var (status, answer, _) = await livy.EmrAsync(operation, body);
        Assert.True(status == 200, $"{operation} answered {status}: {answer.ToJsonString()}");
        return answer;
    }

    /// <summary>Asserts an AWS JSON 1.1 error: the status, <c>__type</c> in the body and the header.</summary>
    public static void AssertError((int Status, JsonNode Body, HttpResponseMessage Response) answer, int status, string type)
    {
        Assert.True(answer.Status == status, $"expected {status} {type}, got {answer.Status}: {answer.Body.ToJsonString()}");
        Assert.Equal(type, (string?)answer.Body["__type"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)answer.Body["message"]));
        Assert.Equal(type, answer.Response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    /// <summary>A cluster that waits for steps (KeepJobFlowAliveWhenNoSteps), once it is WAITING; returns its id.</summary>
    public static async Task<string> StartClusterAsync(this LivyTestServer livy, int stepConcurrency = 1)
    {
        var created = await livy.EmrOkAsync("RunJobFlow", new JsonObject
        {
            ["Name"] = "test-cluster",
            ["ReleaseLabel"] = "emr-7.5.0",
            ["Instances"] = new JsonObject { ["KeepJobFlowAliveWhenNoSteps"] = true },
            ["StepConcurrencyLevel"] = stepConcurrency,
        });
        var id = (string)created["JobFlowId"]!;
        await livy.WaitForClusterAsync(id, "WAITING");
        return id;
    }

    /// <summary>A command-runner.jar spark-submit step of a new python file in the jobs root, tagged
    /// with <paramref name="tag"/>.</summary>
    public static JsonObject SparkStep(this LivyTestServer livy, string script, string tag, string name = "step", params string[] args)
    {
        var file = $"emr-{Guid.NewGuid():N}.py";
        livy.Jobs.Write(file, script);
        var argv = new JsonArray("spark-submit", "--deploy-mode", "cluster", "--conf", $"spark.yarn.tags={tag}", $"local:///{file}");
        foreach (var arg in args)
            argv.Add(arg);
        return new JsonObject
        {
            ["Name"] = name,
            ["ActionOnFailure"] = "CONTINUE",
            ["HadoopJarStep"] = new JsonObject { ["Jar"] = "command-runner.jar", ["Args"] = argv },
        };
    }

    /// <summary>Adds steps and returns their ids.</summary>
    public static async Task<List<string>> AddStepsAsync(this LivyTestServer livy, string clusterId, params JsonObject[] steps)
    {
        var answer = await livy.EmrOkAsync("AddJobFlowSteps", new JsonObject { ["JobFlowId"] = clusterId, ["Steps"] = new JsonArray(steps) });
        return [.. answer["StepIds"]!.AsArray().Select(id => (string)id!)];
    }

    public static async Task<JsonNode> DescribeStepAsync(this LivyTestServer livy, string clusterId, string stepId) =>
        (await livy.EmrOkAsync("DescribeStep", new JsonObject { ["ClusterId"] = clusterId, ["StepId"] = stepId }))["Step"]!;

    public static Task<JsonNode> WaitForStepAsync(this LivyTestServer livy, string clusterId, string stepId, params string[] states) =>
        PollAsync(() => livy.DescribeStepAsync(clusterId, stepId), step => states.Contains((string?)step["Status"]!["State"]));

    public static Task<JsonNode> WaitForClusterAsync(this LivyTestServer livy, string clusterId, params string[] states) =>
        PollAsync(
            async () => (await livy.EmrOkAsync("DescribeCluster", new JsonObject { ["ClusterId"] = clusterId }))["Cluster"]!,
            cluster => states.Contains((string?)cluster["Status"]!["State"]));

    /// <summary>The YARN apps carrying <paramref name="tag"/>.</summary>
    public static async Task<JsonArray> YarnAppsAsync(this LivyTestServer livy, string tag) =>
        (await livy.GetJsonAsync($"/ws/v1/cluster/apps?applicationTags={tag}"))["apps"]?["app"]?.AsArray() ?? [];

    /// <summary>Waits until exactly one YARN app carries the tag and is in one of <paramref name="states"/>.</summary>
    public static async Task<JsonNode> WaitForYarnAppAsync(this LivyTestServer livy, string tag, params string[] states)
    {
        var apps = await PollAsync(() => livy.YarnAppsAsync(tag), apps => apps.Count == 1 && states.Contains((string?)apps[0]!["state"]));
        return apps.AsArray()[0]!;
    }

    /// <summary>Polls until <paramref name="done"/> holds, as a client follows a real process; fails after 60 s.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
        where T : JsonNode
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        T last;
        do
        {
            last = await read();
            if (done(last))
                return last;
            await Task.Delay(20, Token);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"never reached the expected state; last answer: {last.ToJsonString()}");
        return last;
    }
}
