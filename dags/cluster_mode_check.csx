// Why DagRunner checks YARN and Spark: the same failing Spark job submitted twice through a Livy
// that, like YARN cluster mode in the field, reports `success` whatever the driver's exit code
// (LocalLivy reproduces it with the conf key below). Believing Livy passes; verifying fails, with
// what each source said in the task log. `dags test cluster_mode_check` fails on purpose.
#load "_defaults.csx"

var dag = new Dag("cluster_mode_check")
{
    Description = "A failing job that Livy calls a success, caught by YARN and Spark verification",
    StartDate = ExampleStart,
    Tags = { "spark", "livy", "examples" },
};

var believesLivy = dag.Add(new LivyBatchOperator("believes_livy")
{
    File = "local:///jobs/failing_job.py",
    Conf = { ["livy.local.cluster-mode-quirk"] = "true" },
    VerifyIn = VerifyIn.None,
    PollInterval = TimeSpan.FromSeconds(1),
});

var verifies = dag.Add(new LivyBatchOperator("verifies")
{
    File = "local:///jobs/failing_job.py",
    Conf = { ["livy.local.cluster-mode-quirk"] = "true" },
    VerifyIn = VerifyIn.Yarn | VerifyIn.Spark,
    PollInterval = TimeSpan.FromSeconds(1),
});

believesLivy >> verifies;
