// A Spark pipeline through Livy: wait for the day's input in HDFS, aggregate it with a Livy
// batch whose outcome is verified in YARN and Spark, then build a report in a Livy session
// from templated statements. With the embedded LocalLivy, `dags test daily_sales --date 2026-11-20`
// finds that day's sample input in local-hdfs/.
#load "_defaults.csx"

var dag = new Dag("daily_sales")
{
    Description = "Aggregate one day of sales, verified in YARN and Spark",
    Schedule = "@daily",
    StartDate = ExampleStart,
    Catchup = false,
    MaxActiveRuns = 1,
    MaxActiveTasks = 8,
    Tags = { "spark", "livy" },
    Params = { ["table"] = "sales" },
};
ApplyTeamDefaults(dag);

var input = dag.Add(new WebHdfsSensor("wait_for_input")
{
    Path = "/data/sales/{{ ds }}/_SUCCESS",
    PokeInterval = TimeSpan.FromSeconds(30),
    Timeout = TimeSpan.FromHours(6),
});

var aggregate = dag.Add(new LivyBatchOperator("aggregate")
{
    File = "local:///jobs/aggregate_sales.py",
    Args = { "--date", "{{ ds }}", "--table", "{{ params.table }}" },
    Conf = { ["spark.sql.shuffle.partitions"] = "64" },
    VerifyIn = VerifyIn.Yarn | VerifyIn.Spark,
});

var report = dag.Add(new LivySessionOperator("report")
{
    Kind = SessionKind.PySpark,
    Params = { ["customer"] = "O'Brien \"Ltd\"" },
    Statements =
    {
        Statement.FromTemplate("report/load.py.sbn"),
        Statement.FromFile("report/summarize.py"),
        Statement.Inline("print('report done for', {{ ds | lit }})"),
    },
});

input >> aggregate >> report;
