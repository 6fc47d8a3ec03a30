using System.Diagnostics;
using System.Globalization;
using DagRunner.Operators;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating;

// 10,000 statements: 1,000 session tasks of 10 statements each (6 template files, 2 plain files with
// the params preamble, 2 inline), each task rendered as an attempt renders it, templates parsed once.
const int Tasks = 1000;
const int Rounds = 5;
var folder = Path.Combine(Path.GetTempPath(), "dagrunner-bench-templating-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(Path.Combine(folder, "report"));
File.WriteAllText(Path.Combine(folder, "report", "load.py.sbn"), """
    # Load one day of sales for a customer.
    customer = {{ params.customer | lit }}
    day = {{ ds | lit }}
    regions = {{ params.regions | lit }}
    {{ for region in params.regions ~}}
    print({{ region | lit }}, {{ run_id | lit }})
    {{ end ~}}
    sales = spark.table({{ params.table | lit }}).where(f"sale_date = '{day}'")
    print(f"{sales.count()} sales on {day} for {customer}")
    """);
File.WriteAllText(Path.Combine(folder, "report", "summarize.py"), """
    table = params["table"]
    summary = spark.table(table).groupBy("region").count().orderBy("region")
    for row in summary.collect():
        print(f"{row['region']}: {row['count']}")
    """);

var templates = new TaskTemplates(new TemplateLibrary(new TemplateOptions { TemplatesFolder = folder }));
var tasks = Enumerable.Range(0, Tasks).Select(i =>
{
    var task = new LivySessionOperator($"report_{i}") { Params = { ["customer"] = $"O'Brien \"Ltd\" {i}" } };
    for (var s = 0; s < 6; s++)
        task.Statements.Add(Statement.FromTemplate("report/load.py.sbn"));
    task.Statements.Add(Statement.FromFile("report/summarize.py"));
    task.Statements.Add(Statement.FromFile("report/summarize.py"));
    task.Statements.Add(Statement.Inline("print({{ params.table | lit }}, {{ ts | lit }})"));
    task.Statements.Add(Statement.Inline("spark.sql(f\"select count(*) from {{ params.table }} where day = '{{ ds }}'\").show()"));
    return task;
}).ToList();
var parameters = new Dictionary<string, object?> { ["table"] = "sales", ["regions"] = new[] { "emea", "apac", "amer" } };

TaskContext Context(LivySessionOperator task, int round) => new()
{
    DagId = "daily_sales",
    TaskId = task.TaskId,
    RunId = $"scheduled__2026-11-{20 + round}T00:00:00+00:00",
    LogicalDate = new DateTimeOffset(2026, 11, 20 + round, 0, 0, 0, TimeSpan.Zero),
    Params = new Dictionary<string, object?>(parameters) { ["customer"] = task.Params["customer"] },
};

long Render(int round)
{
    long characters = 0;
    foreach (var task in tasks)
    {
        var rendered = templates.Render(task, Context(task, round), CancellationToken.None);
        foreach (var statement in rendered.Statements)
            characters += statement.Code.Length;
    }

    return characters;
}

Render(-1); // warm-up: parse the templates, JIT
Console.WriteLine($"Rendering {Tasks * 10:N0} statements ({Tasks:N0} session tasks of 10), {Rounds} rounds, {Environment.ProcessorCount} cores:");
var perStatement = new List<double>();
for (var round = 0; round < Rounds; round++)
{
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    var characters = Render(round);
    watch.Stop();
    var micros = watch.Elapsed.TotalMicroseconds / (Tasks * 10);
    perStatement.Add(micros);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  round {round + 1}: {watch.Elapsed.TotalMilliseconds:0} ms, {micros:0.0} µs per statement, {(GC.GetAllocatedBytesForCurrentThread() - allocated) / (Tasks * 10.0) / 1024:0.0} KB allocated per statement, {characters / (Tasks * 10)} characters each"));
}

perStatement.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Median: {perStatement[Rounds / 2]:0.0} µs per statement (fields and session request included)."));
Directory.Delete(folder, recursive: true);
