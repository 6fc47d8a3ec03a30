using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

// The live log: a `dagrunner dags test` holds a shell task running (it waits for a file); a separate
// `dagrunner web --port 0` serves the UI; this program opens the task's log stream (server-sent events,
// as the task page does), appends N lines to the task's log file at known times, 10 to 30 ms apart,
// and times each line until it arrives on the stream. Then the UI process's peak memory (VmHWM).
//   dotnet build -c Release src/DagRunner.Cli && dotnet run -c Release --project bench/DagRunner.Bench.LiveLog   # -- 200
var lines = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
#if DEBUG
const string Configuration = "Debug";
#else
const string Configuration = "Release";
#endif
var dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "DagRunner.Cli", "bin", Configuration, "net10.0", "dagrunner.dll"));
var root = Directory.CreateTempSubdirectory("dagrunner-bench-livelog-").FullName;
var go = Path.Combine(root, "go");
Directory.CreateDirectory(Path.Combine(root, "dags"));
Directory.CreateDirectory(Path.Combine(root, "templates"));
File.WriteAllText(Path.Combine(root, "dags", "live.csx"), $$"""
    var dag = new Dag("live") { Schedule = null };
    dag.Add(new ShellOperator("held") { Command = "echo ready; while [ ! -f '{{go}}' ]; do sleep 0.05; done; echo done" });
    """);
string[] Folders() => ["--home", Path.Combine(root, "home"), "--dags-folder", Path.Combine(root, "dags"), "--templates-folder", Path.Combine(root, "templates")];

using var test = Start(["dags", "test", "live", "--date", "2026-11-20", .. Folders()]);
await WaitForLineAsync(test, "ready");
var logFile = Directory.EnumerateFiles(Path.Combine(root, "home", "logs"), "*", SearchOption.AllDirectories)
    .Single(f => File.ReadAllText(f).Contains("ready", StringComparison.Ordinal));
using var web = Start(["web", "--port", "0", .. Folders()]);
var url = new Uri(Regex.Match(await WaitForLineAsync(web, "http://"), @"http://[0-9.:\[\]]+/").Value);
Console.WriteLine($"dagrunner ({Configuration}) web at {url} in process {web.Id}; {lines} lines appended to {logFile}, on {Environment.ProcessorCount} cores");

using var http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
var stream = $"/api/dags/live/runs/{Uri.EscapeDataString("manual__2026-11-20T00:00:00+00:00")}/tasks/held/log/stream?try=1";
using var request = new HttpRequestMessage(HttpMethod.Get, stream);
request.Headers.Accept.ParseAdd("text/event-stream");
using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
response.EnsureSuccessStatusCode();
var clock = Stopwatch.StartNew();
var arrived = new ConcurrentDictionary<int, long>();
var connected = new TaskCompletionSource();
var reading = Task.Run(async () =>
{
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
    while (await reader.ReadLineAsync() is { } line)
    {
        if (line.Contains("ready", StringComparison.Ordinal))
            connected.TrySetResult();
        foreach (Match m in Regex.Matches(line, @"bench-line-(\d+)"))
            arrived.TryAdd(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), clock.ElapsedTicks);
        if (arrived.Count == lines)
            return;
    }
});
await connected.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the stream sends what the log holds first

var written = new long[lines];
var random = new Random(15);
await using (var log = new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
{
    for (var i = 0; i < lines; i++)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes($"bench-line-{i}\n");
        written[i] = clock.ElapsedTicks;
        await log.WriteAsync(bytes);
        await log.FlushAsync();
        await Task.Delay(10 + random.Next(20)); // apart, so each write is timed on its own
    }
}

var all = await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(10))) == reading;
var latencies = Enumerable.Range(0, lines).Where(arrived.ContainsKey)
    .Select(i => (arrived[i] - written[i]) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
var peak = PeakMemoryMb(web.Id);
File.WriteAllText(go, "");
await test.WaitForExitAsync();
web.Kill(entireProcessTree: true);
await web.WaitForExitAsync();
Directory.Delete(root, recursive: true);

if (latencies.Length == 0)
{
    Console.WriteLine("no line arrived on the stream");
    return 1;
}

Console.WriteLine($"{latencies.Length} of {lines} lines arrived{(all ? "" : " (the rest did not within 10 s)")}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"write to event: p50 {At(0.50):0} ms, p95 {At(0.95):0} ms, max {latencies[^1]:0} ms; web UI peak memory (VmHWM) {peak} MB"));
return latencies.Length == lines ? 0 : 1;

double At(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];

Process Start(string[] arguments)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
    start.ArgumentList.Add(dll);
    foreach (var a in arguments)
        start.ArgumentList.Add(a);
    return Process.Start(start)!;
}

static async Task<string> WaitForLineAsync(Process process, string text)
{
    while (await process.StandardOutput.ReadLineAsync() is { } line)
    {
        if (line.Contains(text, StringComparison.Ordinal))
            return line;
    }

    throw new InvalidOperationException($"the process ended before printing '{text}': {await process.StandardError.ReadToEndAsync()}");
}

static long PeakMemoryMb(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? -1 : long.Parse(Regex.Match(line, @"\d+").Value, CultureInfo.InvariantCulture) / 1024;
}
