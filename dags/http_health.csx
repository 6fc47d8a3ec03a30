// Sensors and HTTP calls: wait for a service to report healthy, then trigger a refresh.
var dag = new Dag("http_health")
{
    Description = "Wait until the reporting service is healthy, then refresh its cache",
    Schedule = "@hourly",
    StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
    Tags = { "http", "sensor" },
};

var healthy = dag.Add(new HttpSensor("service_healthy")
{
    Endpoint = "/health",
    ResponseCheck = response => response.Body.Contains("\"status\":\"up\"", StringComparison.Ordinal),
    PokeInterval = TimeSpan.FromSeconds(20),
    Timeout = TimeSpan.FromMinutes(30),
});

var refresh = dag.Add(new HttpOperator("refresh_cache")
{
    Method = "POST",
    Endpoint = "/cache/refresh?date={{ ds }}",
    Headers = { ["Content-Type"] = "application/json" },
    Body = "{\"run\": \"{{ run_id }}\"}",
});

healthy.Then(refresh);
