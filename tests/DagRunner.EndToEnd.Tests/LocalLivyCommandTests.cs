using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary><c>dagrunner local-livy</c> as a user runs it: a real process, driven with plain HTTP,
/// stopped with SIGTERM, leaving no child process behind.</summary>
public sealed partial class LocalLivyCommandTests : IDisposable
{
    private readonly TempFolder _project = new("dagrunner-e2e-livy");

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task LocalLivy_RunsBatchAndSession_StopsOnSigtermWithoutOrphans()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SIGTERM is a Unix signal.");
        _project.Write("jobs/hello.py", "import sys\nprint('hello', *sys.argv[1:])\n");
        using var process = Start("local-livy", "--port", "0", "--jobs-root", "jobs", "--home", "home");
        var ct = TestContext.Current.CancellationToken;
        var banner = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct)
            ?? throw new InvalidOperationException("local-livy printed nothing: " + await process.StandardError.ReadToEndAsync(ct));
        var url = UrlPattern().Match(banner).Value;
        Assert.StartsWith("http://127.0.0.1:", url);

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Add("X-Requested-By", "e2e");
        var batch = await PostAsync(http, "/batches", """{"file":"local:///hello.py","args":["from","e2e"]}""");
        await PollAsync(http, $"/batches/{batch["id"]}", b => (string?)b["state"] == "success");
        var log = await GetAsync(http, $"/batches/{batch["id"]}/log");
        Assert.Contains("hello from e2e", log["log"]!.AsArray().Select(l => (string?)l));

        var session = await PostAsync(http, "/sessions", """{"kind":"pyspark"}""");
        await PollAsync(http, $"/sessions/{session["id"]}", s => (string?)s["state"] == "idle");
        var statement = await PostAsync(http, $"/sessions/{session["id"]}/statements", """{"code":"import os; os.getpid()"}""");
        var done = await PollAsync(http, $"/sessions/{session["id"]}/statements/{statement["id"]}", s => (string?)s["state"] == "available");
        var interpreterPid = int.Parse((string)done["output"]!["data"]!["text/plain"]!, System.Globalization.CultureInfo.InvariantCulture);

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("LocalLivy stopping", await process.StandardOutput.ReadToEndAsync(ct));
        Assert.False(Directory.Exists($"/proc/{interpreterPid}"), $"the session's python3 (pid {interpreterPid}) outlived the server");
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "dagrunner"))
        {
            WorkingDirectory = _project.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode> GetAsync(HttpClient http, string path) =>
        JsonNode.Parse(await http.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken))!;

    // The server runs real processes; follow them as any Livy client does, with a deadline.
    private static async Task<JsonNode> PollAsync(HttpClient http, string path, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var answer = await GetAsync(http, path);
            if (done(answer))
                return answer;
            Assert.True(DateTime.UtcNow < deadline, $"{path} never got there: {answer.ToJsonString()}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex(@"http://[0-9.]+:[0-9]+/")]
    private static partial Regex UrlPattern();
}
