using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.LocalLivy;
using DagRunner.Storage.Postgres;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>
/// Several <c>dagrunner scheduler</c> processes over one real PostgreSQL: the tasks of a run are shared among them
/// (each runs exactly once), a pool's slots hold across them, and a scheduler killed with SIGKILL while Livy batches
/// run leaves its batches to the others, which follow each to its end instead of submitting it again.
/// </summary>
public sealed class ScaleOutTests(ScaleOutFixture postgres) : IClassFixture<ScaleOutFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _project = new("dagrunner-scale-out");
    private readonly List<(Process Process, Func<string> Output)> _processes = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var (process, _) in _processes)
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.Dispose();
        }

        _project.Dispose();
    }

    [Fact]
    public async Task ThreeSchedulers_RunADagOf500Tasks_EachTaskExactlyOnce()
    {
        Directory.CreateDirectory(_project["ran"]);
        // Each execution leaves a file of its own (a task run twice would leave two), naming the process that ran it.
        _project.Write("dags/wide.csx", $$"""
            var dag = new Dag("wide") { Schedule = null, StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), MaxActiveTasks = 500 };
            for (var i = 0; i < 500; i++)
                dag.Add(new CSharpOperator($"t{i:000}", c => File.WriteAllText(Path.Combine(@"{{_project["ran"]}}", $"{c.TaskId}.{Guid.NewGuid():N}"), Environment.ProcessId.ToString())));
            """);
        var (uri, connection) = await postgres.CreateStoreAsync();

        await StartSchedulersAsync(uri, 3);
        await TriggerAsync(uri, "wide");
        await WaitForRunAsync(connection, "wide");
        await StopAllAsync();

        var ran = Directory.GetFiles(_project["ran"]).Select(Path.GetFileName).ToList();
        var tasks = ran.Select(name => name!.Split('.')[0]).ToList();
        Assert.Equal(500, ran.Count);
        Assert.Equal(500, tasks.Distinct(StringComparer.Ordinal).Count());
        var processes = Directory.GetFiles(_project["ran"]).Select(File.ReadAllText).Distinct(StringComparer.Ordinal).Count();
        Assert.True(processes > 1, "the tasks were shared among the schedulers");
        await using var store = await PostgresRunStore.OpenAsync(uri, Token);
        var run = Assert.Single(await store.ListRunsAsync("wide", null, Token));
        Assert.Equal(DagRunState.Success, run.State);
        var stored = await store.TaskInstancesAsync("wide", run.RunId, Token);
        Assert.All(stored, t => Assert.Equal((TaskState.Success, 1), (t.State, t.TryNumber)));
        var attempts = await store.AttemptsAsync("wide", run.RunId, Token);
        Assert.Equal(500, attempts.Count);
        var events = await store.EventsAsync("wide", run.RunId, Token);
        Assert.Equal(500, events.Count(e => e.TaskId is not null && e.To == "queued"));
    }

    [Fact]
    public async Task APoolOfFour_IsNeverExceeded_AcrossThreeSchedulers()
    {
        Directory.CreateDirectory(_project["ran"]);
        _project.Write("dagrunner.json", """{ "pools": { "spark": 4 } }""");
        // Each task notes when it ran on the machine's monotonic clock (the same for every process).
        _project.Write("dags/pooled.csx", $$"""
            var dag = new Dag("pooled") { Schedule = null, StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), MaxActiveTasks = 100 };
            for (var i = 0; i < 24; i++)
                dag.Add(new CSharpOperator($"t{i:00}", async c =>
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await Task.Delay(300);
                    File.WriteAllText(Path.Combine(@"{{_project["ran"]}}", c.TaskId), $"{started} {System.Diagnostics.Stopwatch.GetTimestamp()}");
                }) { Pool = "spark" });
            """);
        var (uri, connection) = await postgres.CreateStoreAsync();

        await StartSchedulersAsync(uri, 3);
        await TriggerAsync(uri, "pooled");
        await WaitForRunAsync(connection, "pooled");
        await StopAllAsync();

        var spans = Directory.GetFiles(_project["ran"]).Select(File.ReadAllText)
            .Select(text => text.Split(' ').Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(24, spans.Count);
        var most = spans.Select(span => spans.Count(other => other[0] <= span[0] && span[0] < other[1])).Max();
        Assert.True(most <= 4, $"{most} tasks of the pool of 4 ran at once");
        Assert.True(most >= 2, "the pool's tasks ran side by side");
    }

    [Fact]
    public async Task OneOfThreeSchedulersKilled_While20LivyBatchesRun_TheOthersFollowEveryBatch_NoneSubmittedTwice()
    {
        const int Batches = 20;
        _project.Write("dags/crash.csx", $$$"""
            var dag = new Dag("crash") { Schedule = "@once", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), MaxActiveTasks = {{{Batches}}} };
            for (var i = 0; i < {{{Batches}}}; i++)
                dag.Add(new LivyBatchOperator($"batch_{i:00}") { File = "local:///jobs/slow.py", Args = { "{{ task_id }}" }, PollInterval = TimeSpan.FromMilliseconds(200), VerifyIn = VerifyIn.Yarn });
            """);
        // Long enough to outlive the killed scheduler, short enough for the suite.
        _project.Write("templates/jobs/slow.py", "import sys, time\ntime.sleep(8)\nprint('done', sys.argv[1])\n");
        await using var livy = await LocalLivyServer.StartAsync(new LocalLivyOptions { Port = 0, JobsRoot = _project["templates"] }, Token);
        await using var proxy = new RecordingProxy(livy.BaseUrl);
        var (uri, connection) = await postgres.CreateStoreAsync();
        var connections = new Dictionary<string, string>
        {
            ["DAGRUNNER_CONN_LIVY_DEFAULT"] = proxy.BaseUrl.ToString(),
            ["DAGRUNNER_CONN_YARN_DEFAULT"] = livy.BaseUrl.ToString(),
            ["DAGRUNNER_CONN_SPARK_DEFAULT"] = livy.BaseUrl.ToString(),
        };

        await StartSchedulersAsync(uri, 3, connections);
        // Killed once every batch is submitted and its handle recorded: the scheduler holding the most of them.
        await WaitForAsync(async () => await ScaleOutFixture.ScalarAsync<long>(connection, "SELECT count(*) FROM remote_handle") >= Batches);
        var holder = await ScaleOutFixture.ScalarAsync<string>(connection,
            "SELECT held_by FROM task_instance WHERE held_by IS NOT NULL GROUP BY held_by ORDER BY count(*) DESC LIMIT 1");
        Assert.NotNull(holder);
        var pid = int.Parse(holder.Split(':')[1], CultureInfo.InvariantCulture);
        var victim = _processes.Single(p => p.Process.Id == pid).Process;
        var held = await ScaleOutFixture.ScalarAsync<long>(connection, $"SELECT count(*) FROM task_instance WHERE held_by = '{holder}' AND state = 'running'");
        victim.Kill();
        await victim.WaitForExitAsync(Token);
        await WaitForRunAsync(connection, "crash", except: victim);
        await StopAllAsync();

        Assert.Equal(Batches, proxy.Requests.Count(r => r.Method == "POST" && r.Path == "/batches"));
        using var http = new HttpClient();
        var listed = await http.GetFromJsonAsync<JsonElement>(new Uri(livy.BaseUrl, "batches?size=1000"), Token);
        Assert.Equal(Batches, listed.GetProperty("total").GetInt32());
        await using var store = await PostgresRunStore.OpenAsync(uri, Token);
        var run = Assert.Single(await store.ListRunsAsync("crash", null, Token));
        Assert.Equal(DagRunState.Success, run.State);
        var tasks = await store.TaskInstancesAsync("crash", run.RunId, Token);
        Assert.All(tasks, t => Assert.Equal((TaskState.Success, 1), (t.State, t.TryNumber)));
        var events = await store.EventsAsync("crash", run.RunId, Token);
        // Every batch the killed scheduler held was handed back and followed by another.
        Assert.True(held > 0, "the killed scheduler held batches");
        Assert.Equal(held, events.Count(e => e.Message?.Contains("its remote job is handed to another worker", StringComparison.Ordinal) == true));
        Assert.Equal(held, events.Count(e => e.Message?.StartsWith("resumed by", StringComparison.Ordinal) == true));
    }

    // Returns once every scheduler has loaded the DAGs and started: the work is there for all of them to share, and
    // none is stopped while still starting.
    [Fact]
    public async Task AWorkerServingChosenPools_RunsTasksOfThosePoolsOnly()
    {
        Directory.CreateDirectory(_project["ran"]);
        _project.Write("dags/mixed.csx", $$"""
            var dag = new Dag("mixed") { Schedule = null, StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), MaxActiveTasks = 100 };
            for (var i = 0; i < 10; i++)
                foreach (var pool in new[] { "spark", "shell" })
                    dag.Add(new CSharpOperator($"{pool}_{i}", async c =>
                    {
                        await Task.Delay(200);
                        File.WriteAllText(Path.Combine(@"{{_project["ran"]}}", c.TaskId), Environment.ProcessId.ToString());
                    }) { Pool = pool });
            """);
        // The scheduler runs one task at a time (its own settings file), so the worker has work to claim.
        var settings = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["parallelism"] = 1, ["dagsFolder"] = _project["dags"] });
        _project.Write("scheduler/dagrunner.json", settings);
        var (uri, connection) = await postgres.CreateStoreAsync();
        _processes.Add(ScaleOutFixture.Start(_project["scheduler"], uri, null, "scheduler", "--loop-seconds", "0.5", "--home", _project["home0"]));
        // --queues, Airflow's word, is the same option as --pools.
        var worker = ScaleOutFixture.Start(_project.Path, uri, null, "worker", "--queues", "spark", "--home", _project["home1"]);
        _processes.Add(worker);
        await WaitForAsync(() => Task.FromResult(_processes[0].Output().Contains("Scheduler started", StringComparison.Ordinal)
            && worker.Output().Contains("Worker started: 1 DAG(s)", StringComparison.Ordinal) && worker.Output().Contains("pools spark", StringComparison.Ordinal)));

        await TriggerAsync(uri, "mixed");
        await WaitForRunAsync(connection, "mixed");
        await StopAllAsync();

        var ranBy = Directory.GetFiles(_project["ran"]).ToDictionary(f => Path.GetFileName(f)!, f => int.Parse(File.ReadAllText(f), CultureInfo.InvariantCulture));
        Assert.Equal(20, ranBy.Count);
        var workerPid = worker.Process.Id;
        Assert.DoesNotContain(ranBy, r => r.Key.StartsWith("shell", StringComparison.Ordinal) && r.Value == workerPid);
        Assert.Contains(ranBy, r => r.Key.StartsWith("spark", StringComparison.Ordinal) && r.Value == workerPid);
        Assert.Contains("Worker stopped; running work is left to the other workers.", worker.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorker_OverTheSqliteFile_IsRefusedClearly()
    {
        _project.Write("dags/one.csx", """var dag = new Dag("one"); dag.Add(new CSharpOperator("t", c => { }));""");

        var (exit, output, error) = await DagRunnerProcess.RunAsync(_project.Path, "worker", "--home", _project["home"]);

        Assert.Equal(2, exit);
        Assert.Contains("give --store postgres://", output + error, StringComparison.Ordinal);
    }

    private async Task StartSchedulersAsync(string store, int count, IReadOnlyDictionary<string, string>? environment = null)
    {
        for (var i = 0; i < count; i++)
            _processes.Add(ScaleOutFixture.Start(_project.Path, store, environment, "scheduler", "--loop-seconds", "0.5", "--home", _project[$"home{i}"]));
        await WaitForAsync(() => Task.FromResult(_processes.All(p => p.Output().Contains("Scheduler started", StringComparison.Ordinal))));
    }

    // A manual run, queued from another process: the schedulers, all started, share it from its first task.
    private async Task TriggerAsync(string store, string dagId)
    {
        var (exit, output, error) = await DagRunnerProcess.RunAsync(_project.Path, new Dictionary<string, string> { ["DAGRUNNER_STORE"] = store }, "dags", "trigger", dagId, "--home", _project["trigger"]);
        Assert.True(exit == 0, output + error);
    }

    private async Task WaitForRunAsync(string connection, string dagId, Process? except = null) =>
        await WaitForAsync(async () => await ScaleOutFixture.ScalarAsync<string>(connection, $"SELECT state FROM dag_run WHERE dag_id = '{dagId}'") is "success" or "failed", except);

    private async Task WaitForAsync(Func<Task<bool>> condition, Process? except = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            foreach (var (process, output) in _processes.Where(p => p.Process != except))
                Assert.False(process.HasExited, $"A scheduler exited early with code {(process.HasExited ? process.ExitCode : 0)}:\n{output()}");
            Assert.True(deadline.Elapsed < Patience, "The schedulers made no progress in time:\n" + string.Join("\n----\n", _processes.Select(p => p.Output())));
            await Task.Delay(100, Token);
        }
    }

    // SIGTERM: each host stops gracefully, lets its tasks go, and exits 0.
    private async Task StopAllAsync()
    {
        foreach (var (process, _) in _processes.Where(p => !p.Process.HasExited))
        {
            using var stop = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await stop.WaitForExitAsync(Token);
        }

        foreach (var (process, output) in _processes)
        {
            await process.WaitForExitAsync(Token);
            Assert.True(process.ExitCode is 0 or 137 or -1, output());
        }
    }
}
