// Spark work through Livy, verified in YARN and Spark: a batch, then an interactive session.
// `dagrunner dags test spark_batches` runs it against the embedded LocalLivy when no Livy is
// configured (templates arrive with the templating issue; these fields are plain values).
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
