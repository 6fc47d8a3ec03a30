// Sensors and HTTP calls: wait until the Livy server answers, then ask it what it is running.
// A health gate worth putting in front of Spark work; `dags test http_health` runs it against the
// embedded LocalLivy when no Livy is configured.
var dag = new Dag("http_health")
{
    Description = "Wait until Livy is up, then list its batches",
    Schedule = "@hourly",
    StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
    Tags = { "http", "sensor" },
};

var livyUp = dag.Add(new HttpSensor("livy_up")
{
    HttpConnectionId = "livy_default",
    Endpoint = "/version",
    ResponseCheck = response => response.Body.Contains("\"version\"", StringComparison.Ordinal),
    PokeInterval = TimeSpan.FromSeconds(20),
    Timeout = TimeSpan.FromMinutes(30),
});

var batches = dag.Add(new HttpOperator("list_batches")
{
    HttpConnectionId = "livy_default",
    Method = "GET",
    Endpoint = "/batches?from=0&size=20",
    ResponseCheck = response => response.Body.Contains("\"sessions\"", StringComparison.Ordinal),
});

livyUp.Then(batches);
