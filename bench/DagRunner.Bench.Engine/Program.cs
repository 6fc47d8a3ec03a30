using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Sdk;
using DagRunner.Storage.Sqlite;
using Microsoft.Data.Sqlite;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var folder = Path.Combine(Path.GetTempPath(), "dagrunner-bench-engine-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(folder);
Console.WriteLine($"{count:N0} no-op tasks per DAG, {Environment.ProcessorCount} cores, SQLite in {folder}");

// The floor: the same machine's raw SQLite rate for the same kind of work, one row update and one
// event insert per state change, committed in batches as the store's writer does.
var raw = RawSqlite(Path.Combine(folder, "raw.db"), count * 5);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw SQLite: {raw:N0} state changes per second (update + event insert, 512 per transaction)"));

foreach (var shape in new[] { "wide", "chain" })
{
    var dag = Dag(shape, count);
    await using var store = SqliteRunStore.Open(Path.Combine(folder, $"{shape}.db"));
    var options = new ExecutorOptions { LogsFolder = Path.Combine(folder, "logs"), Parallelism = 64, DefaultPoolSlots = 64 };
    using var slots = new ExecutionSlots(options);
    var runner = new DagTestRunner(store, new DagRunExecutor(store, slots, options, TimeProvider.System), TimeProvider.System);
    var watch = Stopwatch.StartNew();
    var result = await runner.RunAsync(dag, new DagTestRequest { LogicalDate = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero) }, new DagRunObserver(), CancellationToken.None);
    watch.Stop();
    var perSecond = count / watch.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{shape,-5}: {watch.Elapsed.TotalSeconds:0.00} s, {perSecond:N0} task instances per second, {watch.Elapsed.TotalMilliseconds * 1000 / count:0} µs per task, all succeeded: {result.Succeeded}"));
}

Directory.Delete(folder, recursive: true);

static DagDefinition Dag(string shape, int count)
{
    var tasks = ImmutableArray.CreateBuilder<TaskDefinition>(count);
    for (var i = 0; i < count; i++)
    {
        var id = $"t{i:00000}";
        tasks.Add(new TaskDefinition
        {
            TaskId = id,
            Operator = "NoOp",
            Policy = new TaskPolicy(),
            Upstream = shape == "chain" && i > 0 ? [$"t{i - 1:00000}"] : [],
            Downstream = shape == "chain" && i < count - 1 ? [$"t{i + 1:00000}"] : [],
            Instance = new NoOp(id),
        });
    }

    return new DagDefinition { DagId = shape, File = shape + ".csx", MaxActiveTasks = 64, Tasks = tasks.MoveToImmutable() };
}

static double RawSqlite(string path, int changes)
{
    using var connection = new SqliteConnection($"Data Source={path}");
    connection.Open();
    Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    Execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, state TEXT, at TEXT); CREATE TABLE e (id INTEGER PRIMARY KEY AUTOINCREMENT, t INTEGER, state TEXT, at TEXT);");
    using (var insert = connection.BeginTransaction())
    {
        for (var i = 0; i < 1000; i++)
            Execute(connection, $"INSERT INTO t (id, state) VALUES ({i}, 'none')", insert);
        insert.Commit();
    }

    var watch = Stopwatch.StartNew();
    for (var done = 0; done < changes;)
    {
        using var transaction = connection.BeginTransaction();
        for (var i = 0; i < 512 && done < changes; i++, done++)
        {
            Execute(connection, $"UPDATE t SET state = 'running', at = '{DateTime.UtcNow:O}' WHERE id = {done % 1000}", transaction);
            Execute(connection, $"INSERT INTO e (t, state, at) VALUES ({done % 1000}, 'running', '{DateTime.UtcNow:O}')", transaction);
        }

        transaction.Commit();
    }

    return changes / watch.Elapsed.TotalSeconds;
}

static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
{
    using var command = connection.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

internal sealed class NoOp(string id) : DagTask(id)
{
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(null);
}
