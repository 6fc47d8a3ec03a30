// A fan-out/fan-in graph that runs today with `dagrunner dags test fan_out_fan_in`:
// extract fans out to three transforms, which fan back in to load; notify runs whatever
// happened (TriggerRule.AllDone), and cleanup only when something failed.
#load "_defaults.csx"

var dag = new Dag("fan_out_fan_in")
{
    Description = "Fan out to three regions, fan back in, always notify",
    Schedule = "0 6 * * 1-5",   // 06:00 UTC on weekdays
    StartDate = ExampleStart,
    Tags = { "shell", "csharp" },
    Params = { ["regions"] = new[] { "emea", "amer", "apac" } },
};
ApplyTeamDefaults(dag);

var extract = dag.Add(new ShellOperator("extract")
{
    Command = "echo extracting && mkdir -p /tmp/dagrunner-example && date -u +%FT%TZ > /tmp/dagrunner-example/extracted_at && echo done",
});

var emea = dag.Add(new ShellOperator("transform_emea") { Command = "echo transforming emea" });
var amer = dag.Add(new ShellOperator("transform_amer") { Command = "echo transforming amer" });
var apac = dag.Add(new CSharpOperator("transform_apac", async ctx =>
{
    await ctx.Log.WriteLineAsync($"transforming apac for {ctx.Ds}");
    return 3;   // rows written: the task's output, visible downstream
}));

var load = dag.Add(new CSharpOperator("load", ctx =>
{
    var rows = ctx.Output<int>("transform_apac");
    ctx.Log.WriteLine($"loading; apac wrote {rows} rows; upstream outputs: {string.Join(", ", ctx.Outputs.Keys.Order())}");
    return rows;
}));

var notify = dag.Add(new ShellOperator("notify")
{
    Command = "echo \"pipeline finished\"",
    TriggerRule = TriggerRule.AllDone,
});

var cleanup = dag.Add(new ShellOperator("cleanup_on_failure")
{
    Command = "echo cleaning up",
    TriggerRule = TriggerRule.OneFailed,
});

extract.Then(emea, amer, apac).Then(load);
load >> new DagTask[] { notify, cleanup };
