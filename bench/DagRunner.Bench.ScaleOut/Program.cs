using System.Diagnostics;
using System.Globalization;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Storage.Postgres;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing.Postgres;

// A wide DAG of no-op tasks run by 1, 2 and 4 `dagrunner scheduler` processes sharing one PostgreSQL, and by one
// scheduler on SQLite, in one run, each process with parallelism 64. The schedulers start and load the DAG first; the run is then triggered, and its
// rate is its task count over the time from its start to its end as the store recorded them.
// Usage: [tasks per run, default 5000]. Needs `dotnet build -c Release src/DagRunner.Cli` first.
var tasks = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var exe = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "DagRunner.Cli", "bin", "Release", "net10.0", "dagrunner.dll"));
if (!File.Exists(exe))
{
    Console.WriteLine($"Build the CLI first: dotnet build -c Release src/DagRunner.Cli ({exe} is missing).");
    return 1;
}

var root = Path.Combine(Path.GetTempPath(), "dagrunner-bench-scale-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
Console.WriteLine($"{tasks:N0} no-op tasks in one run, {Environment.ProcessorCount} cores; PostgreSQL with its default durability (fsync, synchronous commits)");
await using var server = await PostgresServer.StartAsync(CancellationToken.None, durable: true);
try
{
    await RawWritesAsync(await server.CreateDatabaseAsync(CancellationToken.None));
    await MeasureAsync("SQLite, 1 scheduler", 1, store: null);
    foreach (var processes in new[] { 1, 2, 4 })
    {
        var database = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = await server.CreateDatabaseAsync(CancellationToken.None) }["Database"];
        await MeasureAsync($"PostgreSQL, {processes} scheduler{(processes > 1 ? "s" : "")}", processes, $"postgres://postgres@{server.Host}:{server.Port}/{database}");
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

return 0;

async Task MeasureAsync(string name, int processes, string? store)
{
    var project = Path.Combine(root, name.Replace(' ', '_').Replace(',', '_'));
    Directory.CreateDirectory(Path.Combine(project, "dags"));
    File.WriteAllText(Path.Combine(project, "dags", "wide.csx"), $$"""
        var dag = new Dag("wide") { Schedule = null, StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), MaxActiveTasks = {{tasks}} };
        for (var i = 0; i < {{tasks}}; i++)
            dag.Add(new CSharpOperator($"t{i:00000}", c => { }));
        """);
    // As the engine benchmark runs: 64 attempts at once per process (the default is 32), and a default pool (128
    // slots unless set) that four such processes do not fill.
    File.WriteAllText(Path.Combine(project, "dagrunner.json"), """{ "parallelism": 64, "pools": { "default_pool": 1024 } }""");
    var schedulers = new List<Process>();
    try
    {
        // Each scheduler's output goes to a file (through sh), so reading it costs the measured cores nothing.
        var outputs = new List<string>();
        for (var i = 0; i < processes; i++)
        {
            var output = Path.Combine(project, $"scheduler{i}.log");
            outputs.Add(output);
            schedulers.Add(Start(project, store, output, "scheduler", "--loop-seconds", "0.2", "--home", Path.Combine(project, $"home{i}")));
        }

        var waiting = Stopwatch.StartNew();
        while (!outputs.All(o => File.Exists(o) && File.ReadAllText(o).Contains("Scheduler started", StringComparison.Ordinal)))
        {
            if (waiting.Elapsed > TimeSpan.FromMinutes(3))
                throw new InvalidOperationException($"{name}: the schedulers did not start in 3 minutes.");
            await Task.Delay(100);
        }

        using (var trigger = Start(project, store, null, "dags", "trigger", "wide", "--home", Path.Combine(project, "home0")))
        {
            var output = await trigger.StandardOutput.ReadToEndAsync();
            await trigger.WaitForExitAsync();
            if (trigger.ExitCode != 0)
                throw new InvalidOperationException($"{name}: dags trigger failed: {output}{await trigger.StandardError.ReadToEndAsync()}");
        }

        var cpuBefore = MachineCpu();
        await using IRunStore reader = store is null
            ? SqliteRunStore.Open(Path.Combine(project, "home0", "state.db"))
            : await PostgresRunStore.OpenAsync(store, CancellationToken.None);
        var deadline = Stopwatch.StartNew();
        DagRun run;
        while (true)
        {
            run = (await reader.ListRunsAsync("wide", null, CancellationToken.None)).Single();
            if (run.State is DagRunState.Success or DagRunState.Failed)
                break;
            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
                throw new InvalidOperationException($"{name}: the run did not end in 10 minutes.");
            await Task.Delay(200);
        }

        var cpuAfter = MachineCpu();
        var busy = 100.0 * (cpuAfter.Busy - cpuBefore.Busy) / Math.Max(1, cpuAfter.Total - cpuBefore.Total);
        var seconds = (run.EndedAt!.Value - run.StartedAt!.Value).TotalSeconds;
        var events = await reader.EventsAsync("wide", run.RunId, CancellationToken.None);
        var byProcess = events.Where(e => e.To == "running" && e.Message?.StartsWith("claimed by ", StringComparison.Ordinal) == true)
            .GroupBy(e => e.Message!).Select(g => g.Count()).OrderDescending().ToList();
        var share = byProcess.Count == 0 ? "" : $", tasks per process {string.Join(" / ", byProcess)}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-26}: {tasks / seconds,7:N0} task instances per second ({seconds:0.00} s, {run.State.ToString().ToLowerInvariant()}, machine CPU {busy:0}% busy{share})"));
    }
    finally
    {
        foreach (var process in schedulers)
        {
            using (var stop = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                await stop.WaitForExitAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
                process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }
}

// The floor: the same server's rate for the same kind of writes from one connection, each transaction updating 32
// rows of a 5,000-row table and inserting 32 event rows (what a claim or a batch of outcomes writes).
static async Task RawWritesAsync(string connectionString)
{
    await using var connection = new Npgsql.NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using (var setup = new Npgsql.NpgsqlCommand(
        "CREATE TABLE t (id int PRIMARY KEY, state text, at timestamptz); CREATE TABLE e (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, t int, state text, at timestamptz);" +
        "INSERT INTO t SELECT i, 'none', now() FROM generate_series(0, 4999) i;", connection))
        await setup.ExecuteNonQueryAsync();
    var watch = Stopwatch.StartNew();
    var transactions = 0;
    while (watch.Elapsed < TimeSpan.FromSeconds(3))
    {
        var ids = Enumerable.Range(transactions * 32 % 4968, 32).ToArray();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "UPDATE t SET state = 'running', at = now() WHERE id = ANY(@ids); INSERT INTO e (t, state, at) SELECT i, 'running', now() FROM unnest(@ids) i;", connection, transaction);
        command.Parameters.AddWithValue("ids", ids);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        transactions++;
    }

    var perSecond = transactions / watch.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"raw PostgreSQL, 1 connection: {perSecond:N0} transactions per second of 32 updates + 32 inserts ({perSecond * 64:N0} row writes per second)"));
}

// The machine's CPU time so far (jiffies, all cores), busy and in total, from /proc/stat: how full the cores were
// between the trigger and the run's end (a little wider than the run itself).
static (long Busy, long Total) MachineCpu()
{
    var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
    var idle = fields[3] + fields[4];
    return (fields.Sum() - idle, fields.Sum());
}

Process Start(string project, string? store, string? outputFile, params string[] arguments)
{
    var start = outputFile is null
        ? new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true }
        : new ProcessStartInfo("sh");
    start.WorkingDirectory = project;
    start.UseShellExecute = false;
    if (outputFile is not null)
    {
        // exec: the shell becomes dotnet, so the pid signalled is the scheduler's.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$@\" > \"$0\" 2>&1");
        start.ArgumentList.Add(outputFile);
    }

    start.ArgumentList.Add(exe);
    foreach (var argument in arguments)
        start.ArgumentList.Add(argument);
    if (store is not null)
        start.Environment["DAGRUNNER_STORE"] = store;
    start.Environment["NO_COLOR"] = "1";
    return Process.Start(start)!;
}
