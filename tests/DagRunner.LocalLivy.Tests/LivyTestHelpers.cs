using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests;

/// <summary>Helpers over <see cref="LivyTestServer"/> for the YARN, Spark, WebHDFS and shape tests:
/// python batches in one call, plain-text answers, a client that does not follow redirects, and a
/// raw socket for request targets an HttpClient would normalise.</summary>
public static class LivyTestHelpers
{
    public static readonly string[] FinalBatchStates = ["success", "dead", "killed"];

    /// <summary>Writes <paramref name="script"/> into the jobs root as a new file and submits it
    /// as <c>local:///{file}</c>; returns the 201 body.</summary>
    public static async Task<JsonNode> SubmitPythonAsync(this LivyTestServer livy, string script, IReadOnlyDictionary<string, string>? conf = null, string[]? args = null)
    {
        var file = $"job-{Guid.NewGuid():N}.py";
        livy.Jobs.Write(file, script);
        var request = new JsonObject { ["file"] = $"local:///{file}" };
        if (conf is not null)
            request["conf"] = new JsonObject(conf.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value)));
        if (args is not null)
            request["args"] = new JsonArray([.. args.Select(a => (JsonNode?)a)]);
        var (status, body, response) = await livy.PostAsync("/batches", request.ToJsonString());
        Assert.True(status == 201, $"POST /batches answered {status}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return body!;
    }

    /// <summary>Submits a python batch and waits until Livy reports a final state; returns the batch.</summary>
    public static async Task<JsonNode> RunPythonAsync(this LivyTestServer livy, string script, IReadOnlyDictionary<string, string>? conf = null)
    {
        var created = await livy.SubmitPythonAsync(script, conf);
        return await livy.WaitForBatchAsync((int)created["id"]!, FinalBatchStates);
    }

    /// <summary>The YARN app of a batch (<c>/ws/v1/cluster/apps/{appId}</c>'s <c>app</c>).</summary>
    public static async Task<JsonNode> YarnAppAsync(this LivyTestServer livy, string appId) =>
        (await livy.GetJsonAsync($"/ws/v1/cluster/apps/{appId}"))["app"]!;

    /// <summary>A client on the server that answers redirects itself (WebHDFS's two-step flow).</summary>
    public static HttpClient NoRedirectClient(this LivyTestServer livy) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = livy.Server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Sends a request and reads the answer as text, whatever its content type.</summary>
    public static async Task<(int Status, string Text, HttpResponseMessage Response)> SendTextAsync(
        this HttpClient http, HttpMethod method, string url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text, response);
    }

    /// <summary>Parses a JSON answer, failing with the text when it is not JSON.</summary>
    public static JsonNode Json(string text)
    {
        try
        {
            return JsonNode.Parse(text) ?? throw new InvalidOperationException("JSON null");
        }
        catch (System.Text.Json.JsonException e)
        {
            Assert.Fail($"Not JSON ({e.Message}): {text}");
            throw;
        }
    }

    /// <summary>Sends <c>GET {target}</c> exactly as written (no client-side normalisation of
    /// <c>..</c> or escapes) and returns the status code and body.</summary>
    public static async Task<(int Status, string Body)> RawGetAsync(Uri baseUrl, string target)
    {
        var token = TestContext.Current.CancellationToken;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseUrl.Host, baseUrl.Port, token);
        await using var stream = tcp.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\nConnection: close\r\nAccept: */*\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync(token);
        var statusLine = answer.Split("\r\n", 2)[0];
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headerEnd = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, headerEnd < 0 ? "" : answer[(headerEnd + 4)..]);
    }
}
