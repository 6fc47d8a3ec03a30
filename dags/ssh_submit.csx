// spark-submit over SSH on the cluster's master (or an edge node), verified in YARN: the third of the four
// ways to run Spark (see the README's table). This one needs an SSH host:
//   DAGRUNNER_CONN_SSH_DEFAULT='ssh://hadoop@master:22?key-file=~/.ssh/id_ed25519'
//   DAGRUNNER_CONN_SPARK_SUBMIT_DEFAULT='spark-submit://yarn?deploy-mode=cluster&spark-submit=/opt/spark/bin/spark-submit&env.HADOOP_CONF_DIR=/etc/hadoop/conf'
// and yarn_default pointing at the cluster's ResourceManager. The host's key must be in ~/.ssh/known_hosts
// (or pinned with host-key=SHA256:...). The tests run it against a real sshd on loopback.
#load "_defaults.csx"

var dag = new Dag("ssh_submit")
{
    Description = "spark-submit on the master over SSH; the app followed in YARN even if the connection drops",
    Schedule = null,
    StartDate = ExampleStart,
    Tags = { "spark", "ssh" },
};
ApplyTeamDefaults(dag);

// A plain command on the host, its output streamed: here, a check that there is room for the job's spill.
var check = dag.Add(new SshOperator("check_host")
{
    Command = "df -P /tmp | tail -1 | awk '{ print \"free on /tmp: \" $4 \" KB\" }'",
});

// spark-submit runs on the host with an argument list (each argument quoted for the remote shell on its own).
// If the SSH connection drops mid-run, the app goes on in YARN and the task follows it there by its id.
var submit = dag.Add(new SshSparkSubmitOperator("aggregate")
{
    Application = "local:///jobs/aggregate_sales.py",
    Args = { "--date", "{{ ds }}", "--table", "sales" },
    DeployMode = "cluster",
    PollInterval = TimeSpan.FromSeconds(2),
});

check >> submit;
