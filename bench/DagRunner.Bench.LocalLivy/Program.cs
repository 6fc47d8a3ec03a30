using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DagRunner.LocalLivy;

// LocalLivy load benchmark: N concurrent batches of a short script, then M concurrent sessions
// running statements, each followed by polling GET …/state the way a client does. Reports wall
// times, the client's latency for GET state, and the server's own time per route.
//   dotnet run -c Release --project bench/DagRunner.Bench.LocalLivy [-- --batches 200 --sessions 50 --poll-ms 100]
var batches = Arg("--batches", 200);
var sessions = Arg("--sessions", 50);
var pollMs = Arg("--poll-ms", 100);

var jobs = Directory.CreateTempSubdirectory("local-livy-bench-");
File.WriteAllText(Path.Join(jobs.FullName, "short.py"), "import sys\nprint('batch', sys.argv[1])\n");
await using var server = await LocalLivyServer.StartAsync(new LocalLivyOptions { Port = 0, JobsRoot = jobs.FullName, MaxCreation = 1000 }, CancellationToken.None);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromMinutes(5) };
http.DefaultRequestHeaders.Add("X-Requested-By", "bench");
Console.WriteLine($"LocalLivy {server.BaseUrl} on {Environment.ProcessorCount} cores; {batches} batches, {sessions} sessions, polling every {pollMs} ms");

var stateLatencies = new List<double>();

// Warm-up: one batch and one session, so JIT and first-process costs are not in the figures.
await RunBatchAsync(-1, new List<double>());
await RunSessionAsync(-1, new List<double>());
server.ClearRequestTimings();

var clock = Stopwatch.StartNew();
var batchResults = await Task.WhenAll(Enumerable.Range(0, batches).Select(i => Task.Run(() => RunBatchAsync(i, stateLatencies))));
var batchWall = clock.Elapsed;
Console.WriteLine($"{batches} concurrent batches: all finished in {batchWall.TotalSeconds:F1} s; {batchResults.Count(r => r == "success")} success");

clock.Restart();
var sessionResults = await Task.WhenAll(Enumerable.Range(0, sessions).Select(i => Task.Run(() => RunSessionAsync(i, stateLatencies))));
var sessionWall = clock.Elapsed;
Console.WriteLine($"{sessions} concurrent sessions (start, 3 statements, delete): {sessionWall.TotalSeconds:F1} s; {sessionResults.Count(ok => ok)} ran every statement");

double[] sorted;
lock (stateLatencies)
    sorted = [.. stateLatencies.Order()];
Console.WriteLine($"client GET state: {sorted.Length} requests, p50 {Percentile(sorted, 0.5):F2} ms, p99 {Percentile(sorted, 0.99):F2} ms, max {sorted[^1]:F2} ms");
Console.WriteLine("server time per route (from the first middleware to the end of the handler):");
foreach (var (route, timing) in server.RequestTimings().OrderByDescending(p => p.Value.Count))
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {route,-52} n={timing.Count,6}  p50 {timing.P50,7:F3} ms  p99 {timing.P99,7:F3} ms  max {timing.Max,8:F3} ms"));
jobs.Delete(recursive: true);

async Task<string> RunBatchAsync(int i, List<double> latencies)
{
    var created = await PostAsync("/batches", $$"""{"file":"local:///short.py","args":["{{i}}"]}""");
    var id = (int)created["id"]!;
    while (true)
    {
        var state = (string)(await TimedGetAsync($"/batches/{id}/state", latencies))["state"]!;
        if (state is "success" or "dead" or "killed")
            return state;
        await Task.Delay(pollMs);
    }
}

async Task<bool> RunSessionAsync(int i, List<double> latencies)
{
    var id = (int)(await PostAsync("/sessions", """{"kind":"pyspark"}"""))["id"]!;
    while ((string)(await TimedGetAsync($"/sessions/{id}/state", latencies))["state"]! != "idle")
        await Task.Delay(pollMs);
    var ok = true;
    for (var s = 0; s < 3; s++)
    {
        var statement = (int)(await PostAsync($"/sessions/{id}/statements", $$"""{"code":"sum(range({{(i + 2) * 1000}}))"}"""))["id"]!;
        JsonNode result;
        while ((string)(result = await TimedGetAsync($"/sessions/{id}/statements/{statement}", latencies: null))["state"]! != "available")
            await Task.Delay(pollMs);
        ok &= (string?)result["output"]!["status"] == "ok";
    }

    using var deleted = await http.DeleteAsync(new Uri($"/sessions/{id}", UriKind.Relative));
    return ok && deleted.IsSuccessStatusCode;
}

async Task<JsonNode> PostAsync(string path, string json)
{
    using var response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
    var text = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
}

async Task<JsonNode> TimedGetAsync(string path, List<double>? latencies)
{
    var started = Stopwatch.GetTimestamp();
    var text = await http.GetStringAsync(new Uri(path, UriKind.Relative));
    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    if (latencies is not null)
    {
        lock (latencies)
            latencies.Add(elapsed);
    }

    return JsonNode.Parse(text)!;
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
