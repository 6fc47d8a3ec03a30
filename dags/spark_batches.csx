// Spark work through Livy, verified in YARN and Spark: a batch, then an interactive session.
// `dagrunner dags test spark_batches` runs it against the embedded LocalLivy when no Livy is
// configured. Every string field of a task is a Scriban template, and so is every FromTemplate
// and Inline statement ({{ ds }}, {{ params.table }}); this example keeps plain values, so it runs
// the same on any day. daily_sales.csx renders its arguments and a statement from templates.
#load "_defaults.csx"

var dag = new Dag("spark_batches")
{
    Description = "A Livy batch and a Livy session, outcomes checked in YARN and Spark",
    Schedule = "@daily",
    StartDate = ExampleStart,
    Catchup = false,
    Tags = { "spark", "livy" },
};
ApplyTeamDefaults(dag);

var aggregate = dag.Add(new LivyBatchOperator("aggregate")
{
    File = "local:///jobs/aggregate_sales.py",
    Args = { "--date", "2026-11-20", "--table", "sales" },
    Conf = { ["spark.sql.shuffle.partitions"] = "64" },
    VerifyIn = VerifyIn.Yarn | VerifyIn.Spark,
    PollInterval = TimeSpan.FromSeconds(2),
});

var report = dag.Add(new LivySessionOperator("report")
{
    Kind = SessionKind.PySpark,
    PollInterval = TimeSpan.FromSeconds(1),
    Statements =
    {
        Statement.FromFile("report/totals.py"),
        Statement.Inline("sum(regions.values())"),
    },
});

aggregate >> report;
