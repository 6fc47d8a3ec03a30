// Shared helpers for the example DAGs. Files whose name starts with "_" are not DAG files:
// they are #load-ed by the DAG files that need them.

static readonly DateTimeOffset ExampleStart = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

static void ApplyTeamDefaults(Dag dag)
{
    dag.Defaults.Retries = 1;
    dag.Defaults.RetryDelay = TimeSpan.FromSeconds(30);
    dag.Defaults.ExecutionTimeout = TimeSpan.FromHours(2);
    dag.Tags.Add("examples");
}
