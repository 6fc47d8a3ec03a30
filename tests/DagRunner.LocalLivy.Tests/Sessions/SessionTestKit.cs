using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Sessions;

/// <summary>One LocalLivy shared by the tests of a class; each test starts sessions of its own on it.</summary>
public sealed class SharedLivyServer : IAsyncLifetime
{
    public LivyTestServer Livy { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Livy = await LivyTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await Livy.DisposeAsync();
}

/// <summary>Small helpers for the session and statement tests (all of them over plain HTTP).</summary>
internal static class SessionTestKit
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Asserts that <paramref name="actual"/> is the JSON <paramref name="expected"/> (key order ignored).</summary>
    public static void AssertJson(string expected, JsonNode? actual)
    {
        var want = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(want, actual), $"expected {want?.ToJsonString(Readable)}\n     got {actual?.ToJsonString(Readable) ?? "null"}");
    }

    /// <summary>Asserts that <paramref name="body"/> is a bare JSON string (not an object) and returns it.</summary>
    public static string BareString(JsonNode? body)
    {
        Assert.NotNull(body);
        Assert.Equal(JsonValueKind.String, body.GetValueKind());
        return body.GetValue<string>();
    }

    /// <summary>The <c>msg</c> of a <c>{"msg": ...}</c> body.</summary>
    public static string Msg(JsonNode? body)
    {
        Assert.NotNull(body);
        Assert.Equal(JsonValueKind.Object, body.GetValueKind());
        return (string?)body["msg"] ?? throw new Xunit.Sdk.XunitException("no msg in " + body.ToJsonString());
    }

    /// <summary>Polls a GET whose answer may be an error (a dying session's statement routes, a
    /// deleted record) until <paramref name="done"/> holds; fails with the last answer otherwise.</summary>
    public static async Task<(int Status, JsonNode? Body)> PollStatusAsync(this LivyTestServer livy, string path, Func<int, JsonNode?, bool> done, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var (status, body, _) = await livy.SendAsync(HttpMethod.Get, path);
            if (done(status, body))
                return (status, body);
            if (DateTime.UtcNow >= deadline)
                Assert.Fail($"GET {path} never reached the expected answer; last: {status} {body?.ToJsonString()}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Submits a statement and returns its id.</summary>
    public static async Task<int> SubmitAsync(this LivyTestServer livy, int session, string code)
    {
        var (status, body, response) = await livy.PostAsync($"/sessions/{session}/statements", new { code });
        Assert.True(status == 201, $"statement POST answered {status}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return (int)body!["id"]!;
    }

    /// <summary>Waits until a statement is running.</summary>
    public static Task<JsonNode> WaitUntilRunningAsync(this LivyTestServer livy, int session, int statement) =>
        livy.PollAsync($"/sessions/{session}/statements/{statement}", s => (string?)s["state"] == "running");

    /// <summary>Submits a long-running statement and waits until the interpreter is executing it
    /// (the statement writes a marker to the interpreter's stderr, which is the session log), so
    /// a cancel that follows is certain to find it running.</summary>
    public static async Task<int> StartExecutingAsync(this LivyTestServer livy, int session, string code)
    {
        var marker = "statement-started-" + Guid.NewGuid().ToString("N");
        var statement = await livy.SubmitAsync(session, $"import os\nos.write(2, b'{marker}\\n')\n{code}");
        await livy.PollAsync($"/sessions/{session}/log?size=-1", l => l["log"]!.AsArray().Any(line => (string?)line == marker));
        Assert.Equal("running", (string?)(await livy.GetJsonAsync($"/sessions/{session}/statements/{statement}"))["state"]);
        return statement;
    }

    /// <summary>The text/plain output of a statement that must have succeeded.</summary>
    public static string Text(JsonNode statement)
    {
        Assert.True((string?)statement["state"] == "available" && (string?)statement["output"]?["status"] == "ok",
            "statement did not succeed: " + statement.ToJsonString());
        return (string)statement["output"]!["data"]!["text/plain"]!;
    }

    /// <summary>The process id of a session's interpreter, asked of the interpreter itself.</summary>
    public static async Task<int> InterpreterPidAsync(this LivyTestServer livy, int session)
    {
        var pid = int.Parse(Text(await livy.RunAsync(session, "import os\nos.getpid()")), CultureInfo.InvariantCulture);
        Assert.True(IsAlive(pid), $"interpreter {pid} is not running");
        Assert.Contains("repl_driver", File.ReadAllText($"/proc/{pid}/cmdline"), StringComparison.Ordinal);
        return pid;
    }

    /// <summary>Whether the process is still alive once a kill sent to it had time to land: the kernel
    /// delivers SIGKILL asynchronously, so right after the kill the process may still show as running.
    /// Waits for its end for up to <paramref name="seconds"/>, looking every 20 ms.</summary>
    public static async Task<bool> OutlivesAsync(int pid, double seconds = 2)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            if (deadline.Elapsed.TotalSeconds > seconds)
                return true;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return false;
    }

    /// <summary>Whether a process exists and is not a zombie (Linux /proc).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[stat.LastIndexOf(')') + 2];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The YARN view of an app.</summary>
    public static async Task<JsonNode> YarnAppAsync(this LivyTestServer livy, string appId) =>
        (await livy.GetJsonAsync($"/ws/v1/cluster/apps/{appId}"))["app"]!;

    /// <summary>The whole session log (<c>size=-1</c>).</summary>
    public static async Task<List<string>> LogAsync(this LivyTestServer livy, int session) =>
        [.. (await livy.GetJsonAsync($"/sessions/{session}/log?size=-1"))["log"]!.AsArray().Select(l => (string)l!)];
}
