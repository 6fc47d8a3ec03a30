using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.LocalLivy;
using DagRunner.Operators;
using DagRunner.Operators.Remote;
using DagRunner.Sdk;
using Microsoft.Extensions.Logging.Abstractions;

// One runner following N concurrent Livy batches (LivyBatchOperator, VerifyIn YARN, PollInterval
// 1 s) on a LocalLivy that runs in a child process, so only the runner is measured.
//   dotnet run -c Release --project bench/DagRunner.Bench.Followers [-- --batches 500 --seconds 30]
if (args.Length > 0 && args[0] == "--server")
{
    await using var server = await LocalLivyServer.StartAsync(new LocalLivyOptions { Port = 0, JobsRoot = args[1], MaxCreation = 10_000 }, CancellationToken.None);
    Console.WriteLine(server.BaseUrl);
    await Console.In.ReadToEndAsync();   // until the parent closes our stdin
    return;
}

var batches = Arg("--batches", 500);
var seconds = Arg("--seconds", 30);
var jobs = Directory.CreateTempSubdirectory("followers-bench-");
File.WriteAllText(Path.Join(jobs.FullName, "sleep.py"), $"import time\nprint('working', flush=True)\ntime.sleep({seconds})\nprint('done')\n");
using var serverProcess = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["--server", jobs.FullName])
{
    RedirectStandardInput = true,
    RedirectStandardOutput = true,
    UseShellExecute = false,
})!;
var baseUrl = (await serverProcess.StandardOutput.ReadLineAsync())!;
Console.WriteLine($"LocalLivy {baseUrl} in process {serverProcess.Id}; {batches} batches of {seconds} s, poll interval 1 s, on {Environment.ProcessorCount} cores");

using var clients = new RemoteClients(id => Connection.Parse(id, baseUrl), new ClientOptions(), NullLoggerFactory.Instance);
var services = new Services(clients);
var self = Process.GetCurrentProcess();
var cpuBefore = self.TotalProcessorTime;
var clock = Stopwatch.StartNew();
using var sampler = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
long peak = 0;
var sampling = Task.Run(async () =>
{
    while (await sampler.WaitForNextTickAsync())
    {
        self.Refresh();
        peak = Math.Max(peak, self.WorkingSet64);
    }
});

var results = await Task.WhenAll(Enumerable.Range(0, batches).Select(i => Task.Run(async () =>
{
    var task = new LivyBatchOperator($"b{i}") { File = "local:///sleep.py", PollInterval = TimeSpan.FromSeconds(1) };
    var context = new TaskContext { DagId = "bench", TaskId = task.TaskId, RunId = "bench", LogicalDate = DateTimeOffset.UtcNow, Services = services, Log = TextWriter.Null };
    try
    {
        await task.ExecuteAsync(context, CancellationToken.None);
        return true;
    }
    catch (TaskFailedException e)
    {
        Console.WriteLine(e.Message);
        return false;
    }
})));
var wall = clock.Elapsed;
self.Refresh();
var cpu = self.TotalProcessorTime - cpuBefore;
peak = Math.Max(peak, self.WorkingSet64);

using var http = new HttpClient();
var timings = JsonNode.Parse(await http.GetStringAsync(new Uri(new Uri(baseUrl), "local-livy/timings")))!.AsObject();
var requests = timings.Sum(t => (int)t.Value!["count"]!);
serverProcess.StandardInput.Close();
await serverProcess.WaitForExitAsync();
jobs.Delete(recursive: true);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{results.Count(ok => ok)} of {batches} batches succeeded in {wall.TotalSeconds:F1} s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"runner: CPU {cpu.TotalSeconds:F1} s = {100 * cpu.TotalSeconds / wall.TotalSeconds:F1}% of one core; peak working set {peak / 1024.0 / 1024:F0} MB; managed heap now {GC.GetTotalMemory(false) / 1024.0 / 1024:F0} MB"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"requests to Livy/YARN: {requests} in {wall.TotalSeconds:F1} s = {requests / wall.TotalSeconds:F0} per second"));

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

sealed class Services(RemoteClients clients) : IServiceProvider
{
    public object? GetService(Type serviceType) => serviceType == typeof(RemoteClients) ? clients : null;
}
