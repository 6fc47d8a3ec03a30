using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using static DagRunner.LocalLivy.Tests.Sessions.SessionTestKit;

namespace DagRunner.LocalLivy.Tests.Sessions;

/// <summary>Livy's <c>/sessions</c> routes against real python3 interpreters: creation and its
/// validation, lookup, logs, DELETE, driver faults, heartbeat and idle timeouts, and server shutdown
/// (reference §1.2, §1.3, §1.6, §2.1, §2.2, §3.5, §8 items 16–25).</summary>
public sealed partial class SessionTests(SharedLivyServer shared) : IClassFixture<SharedLivyServer>
{
    private LivyTestServer Livy => shared.Livy;

    [GeneratedRegex("^application_[0-9]+_[0-9]{4}$")]
    private static partial Regex AppIdPattern();

    private static string NotFound(int id) => $$"""{"msg":"Session '{{id}}' not found."}""";

    // ---- create ---------------------------------------------------------------------------------

    [Fact]
    public async Task Create_Pyspark_Answers201WithLivySessionShape()
    {
        var (status, body, response) = await Livy.PostAsync("/sessions", new { kind = "pyspark" });

        Assert.Equal(201, status);
        var id = (int)body!["id"]!;
        Assert.Equal($"/sessions/{id}", response.Headers.Location?.OriginalString);
        Assert.IsType<JsonArray>(body["log"]);
        var shape = body.DeepClone().AsObject();
        shape.Remove("log");
        AssertJson($$"""
            {"id":{{id}},"name":null,"appId":null,"owner":null,"proxyUser":null,"state":"starting","kind":"pyspark",
             "appInfo":{"driverLogUrl":null,"sparkUiUrl":null,"executorLogUrls":null},
             "ttl":null,"idleTimeout":null,"driverMemory":null,"driverCores":0,"executorMemory":null,"executorCores":0,
             "conf":{},"archives":[],"files":[],"heartbeatTimeoutInSecond":0,"jars":[],"numExecutors":0,"pyFiles":[],"queue":null}
            """, shape);
        await Livy.WaitForSessionAsync(id, "idle");
    }

    [Fact]
    public async Task Create_WithSettingsAndKindAlias_EchoesThem()
    {
        var (status, body, _) = await Livy.PostAsync("/sessions", """
            {"kind":"python","driverMemory":"1g","driverCores":2,"executorMemory":"2g","executorCores":3,"numExecutors":4,
             "queue":"etl","conf":{"spark.sql.shuffle.partitions":"8"},"ttl":"2h","idleTimeout":"30m","heartbeatTimeoutInSecond":600}
            """);

        Assert.Equal(201, status);
        Assert.Equal("pyspark", (string?)body!["kind"]);
        Assert.Equal("1g", (string?)body["driverMemory"]);
        Assert.Equal(2, (int)body["driverCores"]!);
        Assert.Equal("2g", (string?)body["executorMemory"]);
        Assert.Equal(3, (int)body["executorCores"]!);
        Assert.Equal(4, (int)body["numExecutors"]!);
        Assert.Equal("etl", (string?)body["queue"]);
        AssertJson("""{"spark.sql.shuffle.partitions":"8"}""", body["conf"]);
        Assert.Equal("2h", (string?)body["ttl"]);
        Assert.Equal("30m", (string?)body["idleTimeout"]);
        Assert.Equal(600, (int)body["heartbeatTimeoutInSecond"]!);
        await Livy.WaitForSessionAsync((int)body["id"]!, "idle");
    }

    [Fact]
    public async Task Create_Pyspark_BecomesIdleWithAppIdAndAppInfo()
    {
        var (_, body, _) = await Livy.PostAsync("/sessions", new { kind = "pyspark" });
        var id = (int)body!["id"]!;

        var idle = await Livy.WaitForSessionAsync(id, "idle");

        var appId = (string?)idle["appId"];
        Assert.Matches(AppIdPattern(), appId);
        // The very answer that says idle already carries the app's URLs.
        Assert.NotNull((string?)idle["appInfo"]!["sparkUiUrl"]);
        Assert.NotNull((string?)idle["appInfo"]!["driverLogUrl"]);
        AssertJson($$"""{"id":{{id}},"state":"idle"}""", await Livy.GetJsonAsync($"/sessions/{id}/state"));
        var app = await Livy.YarnAppAsync(appId!);
        Assert.Equal("RUNNING", (string?)app["state"]);
        Assert.Equal("UNDEFINED", (string?)app["finalStatus"]);
        Assert.Equal($"livy-session-{id}", (string?)app["name"]);
    }

    [Fact]
    public async Task Log_NewSession_StartsWithStdoutAndSaysPysparkIsNotImportable()
    {
        var id = await Livy.StartSessionAsync();

        var page = await Livy.GetJsonAsync($"/sessions/{id}/log?size=-1");

        var log = page["log"]!.AsArray().Select(l => (string)l!).ToList();
        Assert.Equal(id, (int)page["id"]!);
        Assert.Equal(0, (int)page["from"]!);
        Assert.Equal(log.Count, (int)page["total"]!);
        Assert.Equal("stdout: ", log[0]);
        Assert.Contains("\nstderr: ", log);
        Assert.Contains(log, l => l.Contains("pyspark is not importable", StringComparison.Ordinal));
        // The session's own log field is the tail (at most ten lines) of the same log.
        var tail = (await Livy.GetJsonAsync($"/sessions/{id}"))["log"]!.AsArray().Select(l => (string)l!).ToList();
        Assert.InRange(tail.Count, 1, 10);
        Assert.Equal(log.TakeLast(tail.Count), tail);
    }

    [Fact]
    public async Task Create_SparkKind_GoesDeadWithClearLogLine()
    {
        var (status, body, _) = await Livy.PostAsync("/sessions", new { kind = "spark" });
        Assert.Equal(201, status);
        Assert.Equal("spark", (string?)body!["kind"]);
        var id = (int)body["id"]!;

        var dead = await Livy.WaitForSessionAsync(id, "dead");

        Assert.Null((string?)dead["appId"]);
        var log = await Livy.LogAsync(id);
        Assert.Equal("stdout: ", log[0]);
        Assert.Contains(log, l => l.Contains("cannot start a 'spark' interpreter", StringComparison.Ordinal));
        var (postStatus, postBody, _) = await Livy.PostAsync($"/sessions/{id}/statements", new { code = "1" });
        Assert.Equal(500, postStatus);
        Assert.Equal("java.lang.IllegalStateException: Session is in state dead", BareString(postBody));
        var (listStatus, listBody, _) = await Livy.SendAsync(HttpMethod.Get, $"/sessions/{id}/statements");
        Assert.Equal(400, listStatus);
        AssertJson("""{"msg":"requirement failed: Session isn't active."}""", listBody);
    }

    /// <summary>A server whose interpreters take about a second to start, so a session stays
    /// <c>starting</c> long enough to be looked at.</summary>
    private static Task<LivyTestServer> StartSlowStartingServerAsync(int maxCreation = 100) =>
        LivyTestServer.StartAsync(o =>
        {
            var script = Path.Join(o.JobsRoot, "slow-python3");
            File.WriteAllText(script, "#!/bin/sh\nsleep 1\nexec python3 \"$@\"\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            o.Python = script;
            o.MaxCreation = maxCreation;
        });

    [Fact]
    public async Task Statement_SessionStillStarting_500IllegalState()
    {
        await using var livy = await StartSlowStartingServerAsync();
        var (_, created, _) = await livy.PostAsync("/sessions", new { kind = "pyspark" });
        var id = (int)created!["id"]!;
        Assert.Equal("starting", (string?)(await livy.GetJsonAsync($"/sessions/{id}"))["state"]);

        var (status, body, _) = await livy.PostAsync($"/sessions/{id}/statements", new { code = "1" });

        Assert.Equal(500, status);
        Assert.Equal("java.lang.IllegalStateException: Session is in state starting", BareString(body));
        var (listStatus, listBody, _) = await livy.SendAsync(HttpMethod.Get, $"/sessions/{id}/statements");
        Assert.Equal(400, listStatus);
        AssertJson("""{"msg":"requirement failed: Session isn't active."}""", listBody);
        await livy.WaitForSessionAsync(id, "idle");
        Assert.Equal(0, await livy.SubmitAsync(id, "1"));
    }

    [Fact]
    public async Task Create_MaxCreationSessionsStarting_400TooMany()
    {
        // livy.server.session.max-creation (LocalLivyOptions.MaxCreation) counts starting sessions.
        await using var livy = await StartSlowStartingServerAsync(maxCreation: 1);
        var (first, created, _) = await livy.PostAsync("/sessions", new { kind = "pyspark" });
        Assert.Equal(201, first);
        var id = (int)created!["id"]!;
        Assert.Equal("starting", (string?)(await livy.GetJsonAsync($"/sessions/{id}"))["state"]);

        var (status, body, _) = await livy.PostAsync("/sessions", new { kind = "pyspark" });

        Assert.Equal(400, status);
        AssertJson("""{"msg":"Rejected, too many sessions are being created!"}""", body);
        await livy.WaitForSessionAsync(id, "idle");
        var (again, _, _) = await livy.PostAsync("/sessions", new { kind = "pyspark" });
        Assert.Equal(201, again);
    }

    // ---- lookup ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("GET", "/sessions/77")]
    [InlineData("GET", "/sessions/77/state")]
    [InlineData("GET", "/sessions/77/log")]
    [InlineData("GET", "/sessions/77/statements")]
    [InlineData("DELETE", "/sessions/77")]
    public async Task Session_Unknown_404Msg(string method, string path)
    {
        var (status, body, _) = await Livy.SendAsync(new HttpMethod(method), path);

        Assert.Equal(404, status);
        AssertJson(NotFound(77), body);
    }

    [Fact]
    public async Task Session_ByName_AddressableLikeAnId()
    {
        var (status, body, _) = await Livy.PostAsync("/sessions", new { kind = "pyspark", name = "myname" });
        Assert.Equal(201, status);
        Assert.Equal("myname", (string?)body!["name"]);
        var id = (int)body["id"]!;

        var byName = await Livy.PollAsync("/sessions/myname", s => (string?)s["state"] == "idle");

        Assert.Equal(id, (int)byName["id"]!);
        Assert.Equal("myname", (string?)byName["name"]);
        AssertJson($$"""{"id":{{id}},"state":"idle"}""", await Livy.GetJsonAsync("/sessions/myname/state"));
        var (postStatus, statement, _) = await Livy.PostAsync("/sessions/myname/statements", new { code = "6 * 7" });
        Assert.Equal(201, postStatus);
        var done = await Livy.PollAsync($"/sessions/myname/statements/{(int)statement!["id"]!}", s => (string?)s["state"] == "available");
        Assert.Equal("42", Text(done));
        var app = await Livy.YarnAppAsync((string)byName["appId"]!);
        Assert.Equal("myname", (string?)app["name"]);
    }

    [Fact]
    public async Task Create_DuplicateName_400Rejected()
    {
        var (first, _, _) = await Livy.PostAsync("/sessions", new { kind = "pyspark", name = "twin" });
        Assert.Equal(201, first);

        var (status, body, _) = await Livy.PostAsync("/sessions", new { kind = "pyspark", name = "twin" });

        Assert.Equal(400, status);
        Assert.StartsWith("Rejected, Reason: Duplicate session name: Some(twin) for session ", Msg(body), StringComparison.Ordinal);
        var sessions = (await Livy.GetJsonAsync("/sessions"))["sessions"]!.AsArray();
        Assert.Single(sessions, s => (string?)s!["name"] == "twin");
    }

    [Fact]
    public async Task Create_AllDigitName_400Rejected()
    {
        var (status, body, _) = await Livy.PostAsync("/sessions", new { kind = "pyspark", name = "1234" });

        Assert.Equal(400, status);
        Assert.StartsWith("Rejected, Reason: ", Msg(body), StringComparison.Ordinal);
        Assert.Contains("1234", Msg(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownField_400BareJsonString()
    {
        var (status, body, _) = await Livy.PostAsync("/sessions", """{"kind":"pyspark","file":"local:///job.py"}""");

        Assert.Equal(400, status);
        Assert.StartsWith("Unrecognized field \"file\"", BareString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidKind_400BareJsonString()
    {
        var (status, body, _) = await Livy.PostAsync("/sessions", new { kind = "cobol" });

        Assert.Equal(400, status);
        Assert.Contains("cobol", BareString(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ttl")]
    [InlineData("idleTimeout")]
    public async Task Create_InvalidDurationSuffix_400Rejected(string field)
    {
        var (status, body, _) = await Livy.PostAsync("/sessions", new JsonObject { ["kind"] = "pyspark", [field] = "5x" }.ToJsonString());

        Assert.Equal(400, status);
        AssertJson("""{"msg":"Rejected, Reason: Invalid suffix: \"x\""}""", body);
    }

    [Fact]
    public async Task Create_BlacklistedConf_400Rejected()
    {
        var (status, body, _) = await Livy.PostAsync("/sessions", """{"kind":"pyspark","conf":{"spark.master":"local[*]","spark.app.x":"1"}}""");

        Assert.Equal(400, status);
        AssertJson("""{"msg":"Rejected, Reason: Blacklisted configuration values in session config: spark.master"}""", body);
    }

    // ---- delete ---------------------------------------------------------------------------------

    [Fact]
    public async Task Delete_Session_200ThenGoneAndInterpreterEnds()
    {
        var id = await Livy.StartSessionAsync();
        var pid = await Livy.InterpreterPidAsync(id);
        var appId = (string)(await Livy.GetJsonAsync($"/sessions/{id}"))["appId"]!;

        var (status, body, _) = await Livy.SendAsync(HttpMethod.Delete, $"/sessions/{id}");

        Assert.Equal(200, status);
        AssertJson("""{"msg":"deleted"}""", body);
        var (getStatus, getBody, _) = await Livy.SendAsync(HttpMethod.Get, $"/sessions/{id}");
        Assert.Equal(404, getStatus);
        AssertJson(NotFound(id), getBody);
        Assert.False(IsAlive(pid), $"interpreter {pid} outlived DELETE");
        Assert.DoesNotContain((await Livy.GetJsonAsync("/sessions"))["sessions"]!.AsArray(), s => (int)s!["id"]! == id);
        var app = await Livy.YarnAppAsync(appId);
        Assert.Equal("FINISHED", (string?)app["state"]);
        Assert.True((long)app["finishedTime"]! > 0);
    }

    // ---- driver faults --------------------------------------------------------------------------

    [Fact]
    public async Task KillDriver_WhileStatementRuns_SessionDeadAndStatementRoutesRefuse()
    {
        var id = await Livy.StartSessionAsync();
        var pid = await Livy.InterpreterPidAsync(id);
        var appId = (string)(await Livy.GetJsonAsync($"/sessions/{id}"))["appId"]!;
        var statement = await Livy.SubmitAsync(id, "import time\ntime.sleep(60)");
        await Livy.WaitUntilRunningAsync(id, statement);

        var (status, body, _) = await Livy.PostAsync($"/local-livy/sessions/{id}/kill-driver", "");

        Assert.Equal(200, status);
        AssertJson("""{"msg":"driver killed"}""", body);
        await Livy.WaitForSessionAsync(id, "dead");
        // SIGKILL lands asynchronously: the session may read dead a moment before the process is gone.
        Assert.False(await OutlivesAsync(pid), $"interpreter {pid} survived kill-driver");
        var (getStatus, getBody, _) = await Livy.SendAsync(HttpMethod.Get, $"/sessions/{id}/statements/{statement}");
        Assert.Equal(400, getStatus);
        AssertJson("""{"msg":"requirement failed: Session isn't active."}""", getBody);
        var (postStatus, postBody, _) = await Livy.PostAsync($"/sessions/{id}/statements", new { code = "1" });
        Assert.Equal(500, postStatus);
        Assert.Equal("java.lang.IllegalStateException: Session is in state dead", BareString(postBody));
        var (cancelStatus, cancelBody, _) = await Livy.PostAsync($"/sessions/{id}/statements/{statement}/cancel", "");
        Assert.Equal(500, cancelStatus);
        Assert.Equal("java.lang.IllegalStateException: Session is in state dead", BareString(cancelBody));
        var app = await Livy.YarnAppAsync(appId);
        Assert.Equal("FAILED", (string?)app["state"]);
        Assert.Equal("FAILED", (string?)app["finalStatus"]);
    }

    [Fact]
    public async Task DieOnStatementConf_DriverDiesWhenThatStatementStarts()
    {
        var id = await Livy.StartSessionAsync(new { kind = "pyspark", conf = new Dictionary<string, string> { ["livy.local.fault.die-on-statement"] = "1" } });
        var appId = (string)(await Livy.GetJsonAsync($"/sessions/{id}"))["appId"]!;

        Assert.Equal("2", Text(await Livy.RunAsync(id, "1 + 1")));
        var statement = await Livy.SubmitAsync(id, "2 + 2");

        await Livy.WaitForSessionAsync(id, "dead");
        Assert.Equal(1, statement);
        var (status, body) = await Livy.PollStatusAsync($"/sessions/{id}/statements/{statement}", (code, _) => code != 200);
        Assert.Equal(400, status);
        AssertJson("""{"msg":"requirement failed: Session isn't active."}""", body);
        var app = await Livy.YarnAppAsync(appId);
        Assert.Equal("FAILED", (string?)app["state"]);
    }

    [Fact]
    public async Task OsExit_InStatement_InterpreterDiedAndSessionInError()
    {
        var id = await Livy.StartSessionAsync();
        var appId = (string)(await Livy.GetJsonAsync($"/sessions/{id}"))["appId"]!;
        var pid = await Livy.InterpreterPidAsync(id);

        var died = await Livy.RunAsync(id, "import os\nos._exit(3)");

        Assert.Equal("available", (string?)died["state"]);
        var output = died["output"]!;
        Assert.Equal("error", (string?)output["status"]);
        Assert.Equal(1, (int)output["execution_count"]!);
        Assert.Equal("Error", (string?)output["ename"]);
        Assert.StartsWith("Interpreter died", (string?)output["evalue"], StringComparison.Ordinal);
        Assert.Equal("error", (string?)(await Livy.GetJsonAsync($"/sessions/{id}"))["state"]);
        Assert.False(IsAlive(pid));
        var app = await Livy.YarnAppAsync(appId);
        Assert.Equal("FINISHED", (string?)app["state"]);
        Assert.Equal("FAILED", (string?)app["finalStatus"]);
        Assert.Contains("exited with status 3", (string?)app["diagnostics"], StringComparison.Ordinal);
        Assert.True((long)app["finishedTime"]! > 0);

        // Livy keeps an errored session: its statements stay readable and new ones report the death.
        var after = await Livy.RunAsync(id, "1 + 1");
        Assert.Equal("error", (string?)after["output"]!["status"]);
        Assert.StartsWith("Interpreter died", (string?)after["output"]!["evalue"], StringComparison.Ordinal);
        Assert.Equal(3, (int)(await Livy.GetJsonAsync($"/sessions/{id}/statements"))["total_statements"]!);
        Assert.Equal("error", (string?)(await Livy.GetJsonAsync($"/sessions/{id}"))["state"]);
        var (deleteStatus, _, _) = await Livy.SendAsync(HttpMethod.Delete, $"/sessions/{id}");
        Assert.Equal(200, deleteStatus);
    }

    // ---- heartbeat and idle timeout (fake clock) ------------------------------------------------

    [Fact]
    public async Task Heartbeat_Missed_NextRequestAnswers404()
    {
        var clock = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = clock);
        var id = await livy.StartSessionAsync(new { kind = "pyspark", heartbeatTimeoutInSecond = 30 });

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(200, (await livy.SendAsync(HttpMethod.Get, $"/sessions/{id}")).Status);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(200, (await livy.SendAsync(HttpMethod.Get, $"/sessions/{id}/state")).Status);
        clock.Advance(TimeSpan.FromSeconds(20));
        // GET /sessions does not count as a heartbeat of the session.
        Assert.Equal(200, (await livy.SendAsync(HttpMethod.Get, "/sessions")).Status);
        clock.Advance(TimeSpan.FromSeconds(11));

        var (status, body, _) = await livy.SendAsync(HttpMethod.Get, $"/sessions/{id}");

        Assert.Equal(404, status);
        AssertJson(NotFound(id), body);
    }

    [Fact]
    public async Task Heartbeat_Missed_InterpreterEndsAndAppFinishes()
    {
        var clock = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = clock);
        var id = await livy.StartSessionAsync(new { kind = "pyspark", heartbeatTimeoutInSecond = 30 });
        var pid = await livy.InterpreterPidAsync(id);
        var appId = (string)(await livy.GetJsonAsync($"/sessions/{id}"))["appId"]!;

        clock.Advance(TimeSpan.FromSeconds(31));
        await livy.PollStatusAsync($"/sessions/{id}", (status, _) => status == 404);

        // The app ends once its interpreter has exited.
        var app = await livy.PollAsync($"/ws/v1/cluster/apps/{appId}", a => (string?)a["app"]!["state"] != "RUNNING");
        Assert.Equal("FINISHED", (string?)app["app"]!["state"]);
        Assert.False(IsAlive(pid), $"interpreter {pid} outlived the heartbeat timeout");
    }

    [Fact]
    public async Task IdleTimeout_Expired_NextRequestAnswers404()
    {
        var clock = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o =>
        {
            o.TimeProvider = clock;
            o.SessionIdleTimeout = TimeSpan.FromMinutes(10);
        });
        var id = await livy.StartSessionAsync();

        // Polling is not activity, a statement is.
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("idle", (string?)(await livy.GetJsonAsync($"/sessions/{id}"))["state"]);
        Assert.Equal("2", Text(await livy.RunAsync(id, "1 + 1")));
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("idle", (string?)(await livy.GetJsonAsync($"/sessions/{id}"))["state"]);
        clock.Advance(TimeSpan.FromMinutes(2));

        var (status, body, _) = await livy.SendAsync(HttpMethod.Get, $"/sessions/{id}");

        Assert.Equal(404, status);
        AssertJson(NotFound(id), body);
    }

    [Fact]
    public async Task IdleTimeout_PerSessionValue_OverridesServerDefault()
    {
        var clock = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = clock);
        var quick = await livy.StartSessionAsync(new { kind = "pyspark", idleTimeout = "5m" });
        var normal = await livy.StartSessionAsync();
        var pid = await livy.InterpreterPidAsync(quick);
        var appId = (string)(await livy.GetJsonAsync($"/sessions/{quick}"))["appId"]!;
        var activity = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(200, (await livy.SendAsync(HttpMethod.Get, $"/sessions/{quick}")).Status);
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.True(clock.GetUtcNow() - activity > TimeSpan.FromMinutes(5));

        await livy.PollStatusAsync($"/sessions/{quick}", (status, _) => status == 404);
        var app = await livy.PollAsync($"/ws/v1/cluster/apps/{appId}", a => (string?)a["app"]!["state"] != "RUNNING");
        Assert.Equal("FINISHED", (string?)app["app"]!["state"]);
        Assert.False(IsAlive(pid), $"interpreter {pid} outlived the idle timeout");
        Assert.Equal("idle", (string?)(await livy.GetJsonAsync($"/sessions/{normal}"))["state"]);
        var log = await livy.GetJsonAsync($"/sessions/{normal}/log");
        Assert.Equal(normal, (int)log["id"]!);
    }

    [Fact]
    public async Task IdleTimeout_BusySession_IsDeletedToo()
    {
        // Livy's default livy.server.session.timeout-check.skip-busy=false: a statement that runs
        // longer than the timeout without new submissions does not keep the session alive.
        var clock = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o =>
        {
            o.TimeProvider = clock;
            o.SessionIdleTimeout = TimeSpan.FromMinutes(10);
        });
        var id = await livy.StartSessionAsync();
        var statement = await livy.SubmitAsync(id, "import time\ntime.sleep(60)");
        await livy.WaitUntilRunningAsync(id, statement);

        clock.Advance(TimeSpan.FromMinutes(11));

        var (status, body) = await livy.PollStatusAsync($"/sessions/{id}", (code, _) => code == 404, seconds: 5);
        AssertJson(NotFound(id), body);
        Assert.Equal(404, status);
    }

    [Fact]
    public async Task IdleTimeout_SessionInError_IsKept()
    {
        var clock = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o =>
        {
            o.TimeProvider = clock;
            o.SessionIdleTimeout = TimeSpan.FromMinutes(10);
        });
        var id = await livy.StartSessionAsync();
        await livy.RunAsync(id, "import os\nos._exit(1)");
        Assert.Equal("error", (string?)(await livy.GetJsonAsync($"/sessions/{id}"))["state"]);

        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("error", (string?)(await livy.GetJsonAsync($"/sessions/{id}"))["state"]);
        clock.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal("error", (string?)(await livy.GetJsonAsync($"/sessions/{id}"))["state"]);
    }

    // ---- server shutdown ------------------------------------------------------------------------

    [Fact]
    public async Task Dispose_Server_EndsIdleAndBusyInterpreters()
    {
        var livy = await LivyTestServer.StartAsync();
        int idlePid, busyPid;
        try
        {
            var idle = await livy.StartSessionAsync();
            var busy = await livy.StartSessionAsync();
            idlePid = await livy.InterpreterPidAsync(idle);
            busyPid = await livy.InterpreterPidAsync(busy);
            await livy.WaitUntilRunningAsync(busy, await livy.SubmitAsync(busy, "import time\ntime.sleep(60)"));
        }
        finally
        {
            await livy.DisposeAsync();
        }

        Assert.False(IsAlive(idlePid), $"idle interpreter {idlePid} outlived the server");
        Assert.False(IsAlive(busyPid), $"busy interpreter {busyPid} outlived the server");
    }

    [Fact]
    public async Task Dispose_Server_EndsProcessesStartedByStatementsPromptly()
    {
        // A statement's own child (here a `sleep` that inherits the interpreter's stdout/stderr)
        // must neither outlive the server nor hold its shutdown up.
        var livy = await LivyTestServer.StartAsync();
        int child;
        Task disposing;
        try
        {
            var id = await livy.StartSessionAsync();
            child = int.Parse(Text(await livy.RunAsync(id, "import subprocess\nsubprocess.Popen(['sleep', '300']).pid")), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(IsAlive(child));
        }
        finally
        {
            disposing = livy.DisposeAsync().AsTask();
        }

        var prompt = await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken)) == disposing;
        var survived = await OutlivesAsync(child);
        if (survived)
            System.Diagnostics.Process.GetProcessById(child).Kill(); // the test's own stray `sleep`, so that the server can finish stopping
        await disposing;
        Assert.True(prompt, $"disposing the server waited for `sleep` (pid {child}) started by a statement");
        Assert.False(survived, $"`sleep` (pid {child}) started by a statement outlived the server");
    }
}
