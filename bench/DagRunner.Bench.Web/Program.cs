using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DagRunner.Bench.Web;

// Web UI benchmark for issue #15. Targets on the 2-core reference machine, with 200 DAGs and 10,000
// task instances in the store: the DAGs page and the grid of the last 25 runs of a 30-task DAG answer
// in under 100 ms (p95), and the UI process stays under 150 MB.
// Times are request round trips over loopback from this process to a separate `dagrunner web`
// process (an upper bound of the server's time: they include the client's and the socket's share).
const int Dags = 200;
const int TaskInstances = 10_000;
const int GridRuns = 40;
var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
var inv = CultureInfo.InvariantCulture;
var root = Path.Combine(Path.GetTempPath(), $"dagrunner-bench-web-{Environment.ProcessId}");
var home = Path.Combine(root, "home");
Directory.CreateDirectory(Path.Combine(root, "templates"));
Directory.CreateDirectory(home);
WebDagFiles.Write(Path.Combine(root, "dags"), Dags);

var clock = Stopwatch.StartNew();
var runs = await StoreSeeder.SeedAsync(Path.Combine(home, "state.db"), Dags, GridRuns, TaskInstances, CancellationToken.None);
Console.WriteLine(string.Create(inv, $"{Dags} DAG files ({WebDagFiles.GridDag}: 30 tasks, the others 10) in {root}; store seeded through the store API with {runs} runs, {TaskInstances} task instances ({GridRuns} runs of {WebDagFiles.GridDag}) in {clock.Elapsed.TotalSeconds:0.0} s; {Environment.ProcessorCount} processors"));

// A scheduler (or `dags list`) has loaded the folder before: the UI starts on a filled compile cache and
// the definitions' snapshots, as it does beside a scheduler.
var cli = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "dagrunner.exe" : "dagrunner");
clock.Restart();
await RunAsync(cli, root, "dags", "list", "--json", "--home", home);
Console.WriteLine(string.Create(inv, $"`dagrunner dags list` (cold compile of the folder, fills the cache): {clock.Elapsed.TotalSeconds:0.0} s"));

var start = new ProcessStartInfo(cli) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
foreach (var arg in new[] { "web", "--port", "0", "--home", home })
    start.ArgumentList.Add(arg);
clock.Restart();
using var web = Process.Start(start)!;
try
{
    var url = await UrlAsync(web);
    Console.WriteLine(string.Create(inv, $"`dagrunner web` listening at {url} after {clock.Elapsed.TotalMilliseconds:0} ms (pid {web.Id}): {Mb(web.Id)}"));
    using var http = new HttpClient { BaseAddress = url };
    var pages = new (string Name, string Path)[]
    {
        ("DAGs page", "/dags"),
        ($"grid of {WebDagFiles.GridDag}, last 25 runs", $"/dags/{WebDagFiles.GridDag}/grid"),
        ("GET /api/dags", "/api/dags"),
        ("DAGs page filtered (?tag=team3)", "/dags?tag=team3"),
    };
    foreach (var (_, path) in pages)
    {
        var body = await http.GetStringAsync(path);
        Check(path, body);
        Console.WriteLine(string.Create(inv, $"after the first {path}: {Mb(web.Id)}"));
        for (var i = 0; i < 30; i++)
            await http.GetStringAsync(path);
    }

    // Other work on the machine shows in the tail: say how busy it was.
    Console.WriteLine($"load average before timing (1, 5, 15 min): {LoadAverage()}");
    foreach (var (name, path) in pages)
    {
        var times = new List<double>(requests);
        long bytes = 0;
        for (var i = 0; i < requests; i++)
        {
            var one = Stopwatch.StartNew();
            using var answer = await http.GetAsync(path);
            var body = await answer.Content.ReadAsByteArrayAsync();
            times.Add(one.Elapsed.TotalMilliseconds);
            bytes = body.Length;
            answer.EnsureSuccessStatusCode();
        }

        times.Sort();
        Console.WriteLine(string.Create(inv, $"{name} ({path}, {bytes / 1024.0:0} KiB): {requests} requests, p50 {P(times, 0.50):0.0} ms, p95 {P(times, 0.95):0.0} ms, max {times[^1]:0.0} ms (target p95 < 100 ms)"));
    }

    var (peak, now) = Memory(web.Id);
    Console.WriteLine(string.Create(inv, $"`dagrunner web` memory: peak working set (VmHWM) {peak / 1024.0 / 1024:0} MB, now (VmRSS) {now / 1024.0 / 1024:0} MB (target < 150 MB)"));
}
finally
{
    web.Kill();
    await web.WaitForExitAsync();
}

Directory.Delete(root, recursive: true);
return 0;

static void Check(string path, string body)
{
    // The page answered what it is measured for, not an error page.
    var expected = path.StartsWith("/dags/", StringComparison.Ordinal) ? "class=\"cell state-" : path.StartsWith("/api", StringComparison.Ordinal) ? "\"recentRuns\"" : "data-dag-id=";
    if (!body.Contains(expected, StringComparison.Ordinal) || body.Contains("bench-secret", StringComparison.Ordinal))
        throw new InvalidOperationException($"{path} did not answer as expected:\n{body[..Math.Min(body.Length, 2000)]}");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "unknown";

static double P(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

static async Task<Uri> UrlAsync(Process web)
{
    var waited = Task.Delay(TimeSpan.FromMinutes(2));
    while (true)
    {
        var line = web.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(line, waited) == waited || await line is not { } text)
            throw new InvalidOperationException($"`dagrunner web` did not say where it listens: {await web.StandardError.ReadToEndAsync()}");
        if (Regex.Match(text, @"http://127\.0\.0\.1:\d+/") is { Success: true } match)
        {
            // Keep reading its output so it never blocks on a full pipe.
            _ = web.StandardOutput.ReadToEndAsync();
            _ = web.StandardError.ReadToEndAsync();
            return new Uri(match.Value);
        }
    }
}

// The process's resident set now and at its peak, to see which step grows it.
static string Mb(int pid)
{
    var (peak, now) = Memory(pid);
    return string.Create(CultureInfo.InvariantCulture, $"resident {now / 1024.0 / 1024:0} MB, peak {peak / 1024.0 / 1024:0} MB");
}

// Linux: the peak and current resident set of the process, from /proc (what the kernel charges it).
static (long Peak, long Now) Memory(int pid)
{
    long Read(string key) => File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(key, StringComparison.Ordinal))
        .Select(l => long.Parse(l[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024).FirstOrDefault();
    return (Read("VmHWM:"), Read("VmRSS:"));
}

static async Task RunAsync(string program, string folder, params string[] args)
{
    var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in args)
        start.ArgumentList.Add(arg);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"{program} exited {process.ExitCode}: {await error}{await output}");
}
