// Amazon EMR's Steps API: the fourth of the four ways to run Spark (see the README's table). A cluster is
// started from a template (templates/emr/cluster.json), two Spark steps run on it at once (StepConcurrencyLevel
// 2), a third is added without waiting and watched by a sensor, and the cluster is terminated whatever the
// steps did. `dagrunner dags test emr_steps` runs it with no AWS account: when aws_default is not configured,
// the embedded LocalLivy serves EMR's API, runs each step's spark-submit like a batch and registers the app
// in its YARN and Spark views, so each step's outcome is checked against YARN and Spark as in production. On
// AWS, set aws_default=aws://eu-west-1 (credentials from the usual AWS chain), point Application at s3://
// files, and either point yarn_default and spark_default at the cluster's ResourceManager and history server
// (when the runner can reach them) or drop VerifyIn (EMR's step state then decides).
#load "_defaults.csx"

var dag = new Dag("emr_steps")
{
    Description = "An EMR cluster from a template, Spark steps verified in YARN, a step sensor, the cluster terminated",
    Schedule = "@daily",
    StartDate = ExampleStart,
    Catchup = false,
    Tags = { "spark", "emr" },
    Params = { ["team"] = "sales-analytics" },
};
ApplyTeamDefaults(dag);

var create = dag.Add(new EmrCreateJobFlowOperator("create_cluster")
{
    ClusterTemplate = "emr/cluster.json",
    LogUri = "s3://example-bucket/emr-logs/",
    StepConcurrencyLevel = 2,
    PollInterval = TimeSpan.FromSeconds(2),
});

// Two Spark steps in one AddJobFlowSteps call: their names and ids are recorded before anything waits, each
// app is found in YARN by the attempt's tag, and EMR's, YARN's and Spark's answers decide each outcome.
var aggregate = dag.Add(new EmrAddStepsOperator("aggregate")
{
    JobFlowId = "{{ outputs.create_cluster.job_flow_id }}",
    Steps =
    {
        new EmrSparkStep
        {
            Name = "sales",
            Application = "local:///jobs/aggregate_sales.py",
            Args = { "--date", "{{ ds }}", "--table", "sales" },
            Conf = { ["spark.sql.shuffle.partitions"] = "64" },
        },
        new EmrSparkStep
        {
            Name = "returns",
            Application = "local:///jobs/aggregate_sales.py",
            Args = { "--date", "{{ ds }}", "--table", "returns" },
        },
    },
    VerifyIn = VerifyIn.Yarn | VerifyIn.Spark,
    PollInterval = TimeSpan.FromSeconds(2),
});

// Added without waiting; a sensor waits for it (a long step need not hold a worker slot).
var report = dag.Add(new EmrAddStepsOperator("report")
{
    JobFlowId = "{{ outputs.create_cluster.job_flow_id }}",
    Steps = { new EmrSparkStep { Application = "local:///jobs/aggregate_sales.py", Args = { "--date", "{{ ds }}", "--table", "report" } } },
    WaitForCompletion = false,
});

var reportDone = dag.Add(new EmrStepSensor("report_done")
{
    JobFlowId = "{{ outputs.report.job_flow_id }}",
    StepId = "{{ outputs.report.step_id }}",
    PokeInterval = TimeSpan.FromSeconds(2),
    Timeout = TimeSpan.FromMinutes(30),
});

// The cluster ends whatever the steps did.
var terminate = dag.Add(new EmrTerminateJobFlowOperator("terminate_cluster")
{
    JobFlowId = "{{ outputs.create_cluster.job_flow_id }}",
    TriggerRule = TriggerRule.AllDone,
    PollInterval = TimeSpan.FromSeconds(2),
});

create >> aggregate >> report >> reportDone >> terminate;
