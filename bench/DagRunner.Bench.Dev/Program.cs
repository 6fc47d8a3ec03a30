using System.Diagnostics;
using System.Globalization;
using System.Text;

// Edits a 30-task DAG file `edits` times (alternating a good change and a broken line now and then),
// and measures, for each, the time from the write to the dev command printing its answer.
// Usage: [edits, default 500] [other DAG files beside it that are never edited, default 0].
var edits = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
var others = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
var root = Path.Combine(Path.GetTempPath(), "dagrunner-bench-dev-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(Path.Combine(root, "dags"));
var file = Path.Combine(root, "dags", "big.csx");
File.WriteAllText(file, Dag(0));
for (var o = 0; o < others; o++)
    File.WriteAllText(Path.Combine(root, "dags", $"other{o:000}.csx"), Dag(0).Replace("\"big\"", $"\"other{o:000}\"", StringComparison.Ordinal));

var exe = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "DagRunner.Cli", "bin", "Release", "net10.0", "dagrunner.dll");
var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
foreach (var arg in new[] { Path.GetFullPath(exe), "dev", "--quiet-ms", "20" })
    start.ArgumentList.Add(arg);
using var dev = Process.Start(start)!;
// The child goes with the benchmark, however the benchmark ends.
AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(dev);
AppDomain.CurrentDomain.UnhandledException += (_, _) => Stop(dev);
var answers = new System.Collections.Concurrent.BlockingCollection<long>();
// Continuations run elsewhere: run inline, the rest of the benchmark would hold the thread that reads dev's output.
var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var lastLines = new System.Collections.Concurrent.ConcurrentQueue<string>();
dev.ErrorDataReceived += (_, e) => { if (e.Data is not null) lastLines.Enqueue("ERR " + e.Data); };
dev.OutputDataReceived += (_, e) =>
{
    if (e.Data is null)
        return;
    lastLines.Enqueue(e.Data);
    while (lastLines.Count > 40)
        lastLines.TryDequeue(out string? _);
    if (e.Data.Contains("Ctrl+C stops.", StringComparison.Ordinal))
        ready.TrySetResult();
    if (e.Data.EndsWith("ms)", StringComparison.Ordinal))
        answers.Add(Stopwatch.GetTimestamp());
};
dev.BeginOutputReadLine();
dev.BeginErrorReadLine();
await ready.Task.WaitAsync(TimeSpan.FromMinutes(2));

var times = new List<double>();
long memoryAfter10 = 0;
for (var i = 1; i <= edits; i++)
{
    var written = Stopwatch.GetTimestamp();
    File.WriteAllText(file, i % 10 == 0 ? Dag(i) + "\nvar broken = ;\n" : Dag(i));
    if (!answers.TryTake(out var answered, TimeSpan.FromSeconds(30)))
    {
        Console.WriteLine($"edit {i} got no answer in 30 s; the last lines of dev:");
        foreach (var line in lastLines)
            Console.WriteLine("  " + line);
        dev.Kill();
        return 1;
    }

    times.Add(Stopwatch.GetElapsedTime(written, answered).TotalMilliseconds);
    if (i == 10)
        memoryAfter10 = Rss(dev.Id);
}

var memoryAfterAll = Rss(dev.Id);
times.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{edits} edits of a 30-task DAG{(others > 0 ? $" beside {others} other DAG files" : "")}: median {times[times.Count / 2]:0} ms, p90 {times[times.Count * 9 / 10]:0} ms, max {times[^1]:0} ms from write to diagnostics"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"memory (RSS): {memoryAfter10 / 1048576.0:0} MB after 10 edits, {memoryAfterAll / 1048576.0:0} MB after {edits} ({(memoryAfterAll - memoryAfter10) / 1048576.0:+0;-0} MB)"));
dev.Kill();
await dev.WaitForExitAsync();
Directory.Delete(root, recursive: true);
return 0;

static string Dag(int version)
{
    var text = new StringBuilder($"var dag = new Dag(\"big\") {{ Schedule = \"@daily\", Tags = {{ \"v{version}\" }} }};\n");
    for (var t = 0; t < 30; t++)
        text.Append(CultureInfo.InvariantCulture, $"var t{t} = dag.Add(new ShellOperator(\"t{t}\") {{ Command = \"echo {version} {t}\" }});\n");
    for (var t = 1; t < 30; t++)
        text.Append(CultureInfo.InvariantCulture, $"t{(t - 1) / 2} >> t{t};\n");
    return text.ToString();
}

static void Stop(Process process)
{
    try
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
    }
    catch (InvalidOperationException)
    {
        // Already gone.
    }
}

static long Rss(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    return 0;
}
