// spark-submit on the runner's host, verified in YARN and Spark: the second of the four ways to run Spark
// (see the README's table). `dagrunner dags test spark_submit_local` runs it with no cluster: when
// spark_submit_default is not configured, the embedded LocalLivy gives it a spark-submit entry point that
// takes spark-submit's options, runs the .py with python3 and registers the app in LocalLivy's YARN and
// Spark views, so the outcome is checked against the same YARN API as in production. On a real edge node,
// set spark_submit_default=spark-submit://yarn?deploy-mode=cluster&spark-submit=/opt/spark/bin/spark-submit
// and the same DAG runs there.
#load "_defaults.csx"

var dag = new Dag("spark_submit_local")
{
    Description = "spark-submit on the runner's host, in cluster and client mode, outcomes checked in YARN",
    Schedule = "@daily",
    StartDate = ExampleStart,
    Catchup = false,
    Tags = { "spark", "spark-submit" },
};
ApplyTeamDefaults(dag);

// Cluster mode: the driver runs in YARN, so spark-submit's exit code alone proves little. The app id it
// prints is recorded before anything waits, and YARN and Spark decide the outcome.
var cluster = dag.Add(new SparkSubmitOperator("aggregate_cluster")
{
    Application = "local:///jobs/aggregate_sales.py",
    Args = { "--date", "{{ ds }}", "--table", "sales" },
    DeployMode = "cluster",
    Conf = { ["spark.sql.shuffle.partitions"] = "64" },
    DriverMemory = "1g",
    VerifyIn = VerifyIn.Yarn | VerifyIn.Spark,
    PollInterval = TimeSpan.FromSeconds(2),
});

// Client mode: the driver runs inside spark-submit, so its output streams into the task log line by line.
var client = dag.Add(new SparkSubmitOperator("aggregate_client")
{
    Application = "local:///jobs/aggregate_sales.py",
    Args = { "--date", "{{ ds }}", "--table", "returns" },
    DeployMode = "client",
    PollInterval = TimeSpan.FromSeconds(2),
});

cluster >> client;
