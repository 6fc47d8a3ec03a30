// A DAG of C# tasks only: outputs flow downstream through the task context.
var dag = new Dag("csharp_only")
{
    Description = "Plain C# tasks passing values downstream",
    Schedule = null,   // manual runs only
    Tags = { "csharp" },
    Params = { ["greeting"] = "hello" },
};

var numbers = dag.Add(new CSharpOperator("numbers", ctx => Enumerable.Range(1, 10).Sum()));

var greet = dag.Add(new CSharpOperator("greet", async ctx =>
{
    await Task.Yield();
    var greeting = (string)ctx.Params["greeting"]!;
    return $"{greeting} from {ctx.DagId}, run {ctx.RunId}";
}));

var report = dag.Add(new CSharpOperator("report", ctx =>
{
    ctx.Log.WriteLine($"sum = {ctx.Output<long>("numbers")}");
    ctx.Log.WriteLine(ctx.Output<string>("greet"));
}));

new DagTask[] { numbers, greet } >> report;
