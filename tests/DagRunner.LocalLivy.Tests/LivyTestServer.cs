using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DagRunner.Testing;

namespace DagRunner.LocalLivy.Tests;

/// <summary>A LocalLivy on 127.0.0.1:0 with a jobs root of its own, and a plain HttpClient that
/// talks to it the way any Livy client does (JSON over HTTP, <c>X-Requested-By</c> on writes).</summary>
public sealed class LivyTestServer : IAsyncDisposable
{
    private LivyTestServer(LocalLivyServer server, TempFolder jobs)
    {
        Server = server;
        Jobs = jobs;
        Http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Add("X-Requested-By", "tests");
        Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public LocalLivyServer Server { get; }
    public TempFolder Jobs { get; }
    public HttpClient Http { get; }

    public static async Task<LivyTestServer> StartAsync(Action<LocalLivyOptions>? configure = null)
    {
        var jobs = new TempFolder("local-livy-jobs");
        var options = new LocalLivyOptions { Port = 0, JobsRoot = jobs.Path };
        configure?.Invoke(options);
        var server = await LocalLivyServer.StartAsync(options, TestContext.Current.CancellationToken);
        return new LivyTestServer(server, jobs);
    }

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        JsonNode? body = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
            body = JsonNode.Parse(text);
        return ((int)response.StatusCode, body, response);
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var (status, body, response) = await SendAsync(HttpMethod.Get, path);
        Assert.True(status == 200, $"GET {path} answered {status}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return body!;
    }

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(string path, object body) =>
        SendAsync(HttpMethod.Post, path, body as string ?? JsonSerializer.Serialize(body));

    /// <summary>Polls <paramref name="path"/> until <paramref name="done"/> holds for its JSON, as a
    /// client follows a real process; fails with the last answer after 60 s.</summary>
    public async Task<JsonNode> PollAsync(string path, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonNode last;
        do
        {
            last = await GetJsonAsync(path);
            if (done(last))
                return last;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{path} never reached the expected state; last answer: {last.ToJsonString()}");
        return last;
    }

    public Task<JsonNode> WaitForBatchAsync(int id, params string[] states) =>
        PollAsync($"/batches/{id}", b => states.Contains((string?)b["state"]));

    public Task<JsonNode> WaitForSessionAsync(int id, params string[] states) =>
        PollAsync($"/sessions/{id}", s => states.Contains((string?)s["state"]));

    public Task<JsonNode> WaitForStatementAsync(int session, int statement) =>
        PollAsync($"/sessions/{session}/statements/{statement}", s => (string?)s["state"] is "available" or "cancelled");

    /// <summary>Starts a pyspark session and waits until it is idle; returns its id.</summary>
    public async Task<int> StartSessionAsync(object? request = null)
    {
        var (status, body, _) = await PostAsync("/sessions", request ?? new { kind = "pyspark" });
        Assert.Equal(201, status);
        var id = (int)body!["id"]!;
        await WaitForSessionAsync(id, "idle");
        return id;
    }

    /// <summary>Runs one statement to completion and returns it.</summary>
    public async Task<JsonNode> RunAsync(int session, string code)
    {
        var (status, body, _) = await PostAsync($"/sessions/{session}/statements", new { code });
        Assert.Equal(201, status);
        return await WaitForStatementAsync(session, (int)body!["id"]!);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Jobs.Dispose();
    }
}
