using System.Text.Json.Nodes;
using static DagRunner.LocalLivy.Tests.Sessions.SessionTestKit;

namespace DagRunner.LocalLivy.Tests.Sessions;

/// <summary>Livy's <c>/sessions/{id}/statements</c> routes against real python3 interpreters
/// (reference §1.3, §1.6, §2.3, §8 items 16–22). Every test starts a session of its own.</summary>
public sealed class StatementTests(SharedLivyServer shared) : IClassFixture<SharedLivyServer>
{
    private LivyTestServer Livy => shared.Livy;

    [Fact]
    public async Task Statement_Expression_AvailableWithLivyOutput()
    {
        var session = await Livy.StartSessionAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var (status, body, response) = await Livy.PostAsync($"/sessions/{session}/statements", new { code = "1 + 2" });

        Assert.Equal(201, status);
        Assert.Equal($"/sessions/{session}/statements/0", response.Headers.Location?.OriginalString);
        Assert.Equal(0, (int)body!["id"]!);
        Assert.Equal("1 + 2", (string?)body["code"]);
        Assert.Contains((string?)body["state"], new[] { "waiting", "running" });
        Assert.True(body.AsObject().ContainsKey("output"));
        Assert.Null(body["output"]);
        Assert.Equal(0.0, (double)body["progress"]!);
        Assert.Equal(0L, (long)body["completed"]!);

        var done = await Livy.WaitForStatementAsync(session, 0);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal("available", (string?)done["state"]);
        AssertJson("""{"status":"ok","execution_count":0,"data":{"text/plain":"3"}}""", done["output"]);
        Assert.Equal(1.0, (double)done["progress"]!);
        var started = (long)done["started"]!;
        var completed = (long)done["completed"]!;
        Assert.InRange(started, before, after);
        Assert.InRange(completed, started, after);
    }

    [Fact]
    public async Task Statement_Ids_CountFromZeroPerSessionAndMatchExecutionCount()
    {
        var session = await Livy.StartSessionAsync();
        for (var i = 0; i < 3; i++)
        {
            var (status, body, response) = await Livy.PostAsync($"/sessions/{session}/statements", new { code = $"{i} * 10" });
            Assert.Equal(201, status);
            Assert.Equal(i, (int)body!["id"]!);
            Assert.Equal($"/sessions/{session}/statements/{i}", response.Headers.Location?.OriginalString);
        }

        for (var i = 0; i < 3; i++)
        {
            var done = await Livy.WaitForStatementAsync(session, i);
            Assert.Equal(i, (int)done["id"]!);
            Assert.Equal(i, (int)done["output"]!["execution_count"]!);
            Assert.Equal((i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), Text(done));
        }

        // A second session numbers its statements from 0 again.
        var other = await Livy.StartSessionAsync();
        Assert.Equal(0, await Livy.SubmitAsync(other, "1"));
    }

    [Fact]
    public async Task Statement_Print_OutputCapturedInTextPlain()
    {
        var session = await Livy.StartSessionAsync();

        var printed = await Livy.RunAsync(session, "print('hello')\nprint('world')");
        var mixed = await Livy.RunAsync(session, "print('a')\n40 + 2");

        AssertJson("""{"status":"ok","execution_count":0,"data":{"text/plain":"hello\nworld"}}""", printed["output"]);
        Assert.Equal("a\n42", Text(mixed));
    }

    [Fact]
    public async Task Statement_Namespace_PersistsBetweenStatements()
    {
        var session = await Livy.StartSessionAsync();

        var assign = await Livy.RunAsync(session, "x = 41\ndef twice(v):\n    return 2 * v");
        var use = await Livy.RunAsync(session, "twice(x) + 1");

        Assert.Equal("", Text(assign));
        Assert.Equal("83", Text(use));
    }

    [Fact]
    public async Task Statement_Exception_ErrorOutputWithLivyTraceback()
    {
        // Livy's own PythonSessionSpec case (reference §9 S7): the <module> frame is left out.
        var session = await Livy.StartSessionAsync();

        var done = await Livy.RunAsync(session, "def func1():\n    raise Exception(\"message\")\ndef func2():\n    func1()\nfunc2()");

        Assert.Equal("available", (string?)done["state"]);
        AssertJson("""
            {"status":"error","execution_count":0,"ename":"Exception","evalue":"message",
             "traceback":["Traceback (most recent call last):\n","  File \"<stdin>\", line 4, in func2\n","  File \"<stdin>\", line 2, in func1\n","Exception: message\n"]}
            """, done["output"]);
    }

    [Fact]
    public async Task Statement_ExceptionWhileHandlingAnother_TracebackShowsOnlyTheLastOne()
    {
        // Livy formats the traceback with chain=False and drops the frames up to the <module> one.
        var session = await Livy.StartSessionAsync();

        var done = await Livy.RunAsync(session, "def check(v):\n    try:\n        1 / v\n    except ZeroDivisionError:\n        raise ValueError('bad value')\ncheck(0)");

        AssertJson("""
            {"status":"error","execution_count":0,"ename":"ValueError","evalue":"bad value",
             "traceback":["Traceback (most recent call last):\n","  File \"<stdin>\", line 5, in check\n","ValueError: bad value\n"]}
            """, done["output"]);
    }

    [Fact]
    public async Task Statement_SyntaxError_ErrorOutputPointsAtTheLine()
    {
        var session = await Livy.StartSessionAsync();

        var done = await Livy.RunAsync(session, "1 +");

        Assert.Equal("available", (string?)done["state"]);
        AssertJson("""
            {"status":"error","execution_count":0,"ename":"SyntaxError","evalue":"invalid syntax (<stdin>, line 1)",
             "traceback":["  File \"<stdin>\", line 1\n","    1 +\n","       ^\n","SyntaxError: invalid syntax\n"]}
            """, done["output"]);

        // The interpreter is fine afterwards.
        Assert.Equal("2", Text(await Livy.RunAsync(session, "1 + 1")));
    }

    [Fact]
    public async Task Statement_Unicode_RoundTrips()
    {
        var session = await Livy.StartSessionAsync();
        const string code = "s = 'é☃'\nprint(s)\nlen(s)";

        var done = await Livy.RunAsync(session, code);

        Assert.Equal(code, (string?)done["code"]);
        Assert.Equal("é☃\n2", Text(done));
    }

    [Fact]
    public async Task Statement_JsonMagic_ApplicationJson()
    {
        var session = await Livy.StartSessionAsync();

        var done = await Livy.RunAsync(session, "d = {'a': 1, 'b': [1, 2], 'c': 'é'}\n%json d");

        AssertJson("""{"status":"ok","execution_count":0,"data":{"application/json":{"a":1,"b":[1,2],"c":"é"}}}""", done["output"]);
    }

    [Fact]
    public async Task Statement_TableMagicOnLists_LivyTable()
    {
        // Reference §9 S8.
        var session = await Livy.StartSessionAsync();

        var done = await Livy.RunAsync(session, "x = [[1, 'a'], [3, 'b']]\n%table x");

        AssertJson("""
            {"status":"ok","execution_count":0,"data":{"application/vnd.livy.table.v1+json":
              {"headers":[{"type":"INT_TYPE","name":"0"},{"type":"STRING_TYPE","name":"1"}],"data":[[1,"a"],[3,"b"]]}}}
            """, done["output"]);
    }

    [Fact]
    public async Task Statement_TableMagicOnDicts_ColumnsInKeyOrder()
    {
        // Livy's fake_shell.py magic_table walks dict rows as sorted(row.items()).
        var session = await Livy.StartSessionAsync();

        var done = await Livy.RunAsync(session, "rows = [{'name': 'x', 'count': 1, 'ok': True}, {'name': 'y', 'count': 2, 'ok': False}]\n%table rows");

        AssertJson("""
            {"status":"ok","execution_count":0,"data":{"application/vnd.livy.table.v1+json":
              {"headers":[{"name":"count","type":"INT_TYPE"},{"name":"name","type":"STRING_TYPE"},{"name":"ok","type":"BOOLEAN_TYPE"}],
               "data":[[1,"x",true],[2,"y",false]]}}}
            """, done["output"]);
    }

    [Fact]
    public async Task Statement_SqlKindWithoutPyspark_ErrorMentionsPyspark()
    {
        var session = await Livy.StartSessionAsync();

        var (status, body, _) = await Livy.PostAsync($"/sessions/{session}/statements", """{"code":"select 1","kind":"sql"}""");
        Assert.Equal(201, status);
        var done = await Livy.WaitForStatementAsync(session, (int)body!["id"]!);

        Assert.Equal("available", (string?)done["state"]);
        Assert.Equal("error", (string?)done["output"]!["status"]);
        Assert.Contains("pyspark", (string?)done["output"]!["evalue"], StringComparison.Ordinal);
        // The session still runs Python.
        Assert.Equal("idle", (string?)(await Livy.GetJsonAsync($"/sessions/{session}"))["state"]);
    }

    [Fact]
    public async Task Statement_SparkKindInPysparkSession_InterpreterError()
    {
        var session = await Livy.StartSessionAsync();

        var (status, body, _) = await Livy.PostAsync($"/sessions/{session}/statements", """{"code":"1 + 1","kind":"spark"}""");
        Assert.Equal(201, status);
        var done = await Livy.WaitForStatementAsync(session, (int)body!["id"]!);

        Assert.Equal("available", (string?)done["state"]);
        var output = done["output"]!;
        Assert.Equal("error", (string?)output["status"]);
        Assert.Equal(0, (int)output["execution_count"]!);
        Assert.Equal("InterpreterError", (string?)output["ename"]);
        Assert.StartsWith("Fail to start interpreter", (string?)output["evalue"], StringComparison.Ordinal);
        Assert.Equal("2", Text(await Livy.RunAsync(session, "1 + 1")));
    }

    [Theory]
    [InlineData("""{"code":"1","kind":"cobol"}""", "Invalid kind")]
    [InlineData("""{"code":"1","file":"a.py"}""", "Unrecognized field \"file\"")]
    public async Task Statement_BadRequest_400JsonString(string request, string start)
    {
        var session = await Livy.StartSessionAsync();

        var (status, body, _) = await Livy.PostAsync($"/sessions/{session}/statements", request);

        Assert.Equal(400, status);
        Assert.StartsWith(start, BareString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statements_List_TotalFromSizeAndDescendingOrder()
    {
        var session = await Livy.StartSessionAsync();
        for (var i = 0; i < 3; i++)
            await Livy.RunAsync(session, $"{i}");

        static int[] Ids(JsonNode list) => [.. list["statements"]!.AsArray().Select(s => (int)s!["id"]!)];

        var all = await Livy.GetJsonAsync($"/sessions/{session}/statements");
        Assert.Equal(3, (int)all["total_statements"]!);
        Assert.Equal(2, all.AsObject().Count);
        Assert.Equal([0, 1, 2], Ids(all));
        Assert.Equal("available", (string?)all["statements"]![2]!["state"]);
        Assert.Equal("2", (string?)all["statements"]![2]!["output"]!["data"]!["text/plain"]);

        var page = await Livy.GetJsonAsync($"/sessions/{session}/statements?from=1&size=1");
        Assert.Equal(3, (int)page["total_statements"]!);
        Assert.Equal([1], Ids(page));

        var desc = await Livy.GetJsonAsync($"/sessions/{session}/statements?order=desc");
        Assert.Equal([2, 1, 0], Ids(desc));
        var descPage = await Livy.GetJsonAsync($"/sessions/{session}/statements?order=desc&from=1&size=5");
        Assert.Equal([1, 0], Ids(descPage));
        Assert.Empty(Ids(await Livy.GetJsonAsync($"/sessions/{session}/statements?from=7")));
    }

    [Fact]
    public async Task Statement_Unknown_404BareJsonString()
    {
        var session = await Livy.StartSessionAsync();
        await Livy.RunAsync(session, "1");

        var (status, body, _) = await Livy.SendAsync(HttpMethod.Get, $"/sessions/{session}/statements/99");

        Assert.Equal(404, status);
        Assert.Equal("Statement not found", BareString(body));
    }

    [Fact]
    public async Task Statement_NonNumericId_400NumberFormat()
    {
        var session = await Livy.StartSessionAsync();

        var (status, body, _) = await Livy.SendAsync(HttpMethod.Get, $"/sessions/{session}/statements/abc");

        Assert.Equal(400, status);
        AssertJson("""{"msg":"For input string: \"abc\""}""", body);
    }

    [Fact]
    public async Task Statements_UnknownSession_404Msg()
    {
        var (status, body, _) = await Livy.SendAsync(HttpMethod.Get, "/sessions/77/statements/0");
        var (postStatus, postBody, _) = await Livy.PostAsync("/sessions/77/statements", new { code = "1" });

        Assert.Equal(404, status);
        AssertJson("""{"msg":"Session '77' not found."}""", body);
        Assert.Equal(404, postStatus);
        AssertJson("""{"msg":"Session '77' not found."}""", postBody);
    }

    [Theory]
    [InlineData("import time\ntime.sleep(60)")]
    [InlineData("while True:\n    pass")]
    public async Task Cancel_RunningStatement_CancelledAndSessionStillUsable(string code)
    {
        var session = await Livy.StartSessionAsync();
        var statement = await Livy.StartExecutingAsync(session, code);
        Assert.Equal("busy", (string?)(await Livy.GetJsonAsync($"/sessions/{session}"))["state"]);

        var (status, body, _) = await Livy.PostAsync($"/sessions/{session}/statements/{statement}/cancel", "");

        Assert.Equal(200, status);
        AssertJson("""{"msg":"canceled"}""", body);
        var done = await Livy.WaitForStatementAsync(session, statement);
        Assert.Equal("cancelled", (string?)done["state"]);
        Assert.Equal(1.0, (double)done["progress"]!);
        Assert.True((long)done["completed"]! >= (long)done["started"]! && (long)done["started"]! > 0, done.ToJsonString());
        // A cancelled running statement keeps an error-ish output (reference §8 item 21).
        Assert.Equal("error", (string?)done["output"]?["status"]);

        await Livy.WaitForSessionAsync(session, "idle");
        var next = await Livy.RunAsync(session, "'still here'");
        Assert.Equal(statement + 1, (int)next["id"]!);
        Assert.Equal("'still here'", Text(next));
    }

    [Fact]
    public async Task Cancel_WaitingStatement_CancelledWithoutOutputAndNeverRuns()
    {
        var session = await Livy.StartSessionAsync();
        var running = await Livy.StartExecutingAsync(session, "import time\ntime.sleep(60)");
        var waiting = await Livy.SubmitAsync(session, "open('ran.txt', 'w').write('x')\n'ran'");
        Assert.Equal("waiting", (string?)(await Livy.GetJsonAsync($"/sessions/{session}/statements/{waiting}"))["state"]);

        var (status, body, _) = await Livy.PostAsync($"/sessions/{session}/statements/{waiting}/cancel", "");

        Assert.Equal(200, status);
        AssertJson("""{"msg":"canceled"}""", body);
        var cancelled = await Livy.GetJsonAsync($"/sessions/{session}/statements/{waiting}");
        Assert.Equal("cancelled", (string?)cancelled["state"]);
        Assert.True(cancelled.AsObject().ContainsKey("output"));
        Assert.Null(cancelled["output"]);
        Assert.Equal(0L, (long)cancelled["started"]!);
        Assert.Equal("running", (string?)(await Livy.GetJsonAsync($"/sessions/{session}/statements/{running}"))["state"]);

        Assert.Equal(200, (await Livy.PostAsync($"/sessions/{session}/statements/{running}/cancel", "")).Status);
        Assert.Equal("cancelled", (string?)(await Livy.WaitForStatementAsync(session, running))["state"]);
        var next = await Livy.RunAsync(session, "import os\nos.path.exists('ran.txt')");
        Assert.Equal("False", Text(next));
        Assert.Null((await Livy.GetJsonAsync($"/sessions/{session}/statements/{waiting}"))["output"]);
        await Livy.WaitForSessionAsync(session, "idle");
    }

    [Fact]
    public async Task Cancel_FinishedOrUnknownStatement_StillAnswersCanceled()
    {
        var session = await Livy.StartSessionAsync();
        var done = await Livy.RunAsync(session, "5");

        var (finishedStatus, finishedBody, _) = await Livy.PostAsync($"/sessions/{session}/statements/{(int)done["id"]!}/cancel", "");
        var (unknownStatus, unknownBody, _) = await Livy.PostAsync($"/sessions/{session}/statements/42/cancel", "");

        Assert.Equal(200, finishedStatus);
        AssertJson("""{"msg":"canceled"}""", finishedBody);
        Assert.Equal(200, unknownStatus);
        AssertJson("""{"msg":"canceled"}""", unknownBody);
        var again = await Livy.GetJsonAsync($"/sessions/{session}/statements/{(int)done["id"]!}");
        Assert.Equal("available", (string?)again["state"]);
        Assert.Equal("5", Text(again));
    }

    [Fact]
    public async Task Cancel_StatementNotYetPickedUpByTheInterpreter_StillEndsCancelled()
    {
        // Livy shows a statement `running` as soon as it is handed to the interpreter; a cancel
        // that arrives before the interpreter has read it must not be lost. A background thread
        // that holds the GIL (switch interval 0.5 s) makes the interpreter slow to pick the next
        // statement up, so the cancel below lands in that gap every time.
        await using var livy = await LivyTestServer.StartAsync();
        var session = await livy.StartSessionAsync();
        Text(await livy.RunAsync(session, "import sys, threading\nsys.setswitchinterval(0.5)\ndef spin():\n    while True:\n        pass\nthreading.Thread(target=spin, daemon=True).start()"));
        var statement = await livy.SubmitAsync(session, "while True:\n    pass");
        await livy.WaitUntilRunningAsync(session, statement);

        var (status, _, _) = await livy.PostAsync($"/sessions/{session}/statements/{statement}/cancel", "");

        Assert.Equal(200, status);
        var (_, done) = await livy.PollStatusAsync($"/sessions/{session}/statements/{statement}",
            (code, s) => code != 200 || (string?)s?["state"] is "cancelled" or "available", seconds: 5);
        Assert.Equal("cancelled", (string?)done?["state"]);
    }
}
