using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Batches;

/// <summary>Shared helpers for the batch and server tests: small Python jobs, creating batches,
/// reading logs and error bodies, and checking whether a job's process still exists.</summary>
internal static class BatchKit
{
    /// <summary>Prints its arguments as one JSON line, so a test can compare them exactly.</summary>
    public const string ArgvScript = "import json, sys\nprint('ARGV ' + json.dumps(sys.argv[1:]))\n";

    /// <summary>Prints its pid, then sleeps a minute (long past any test).</summary>
    public const string SleepScript = "import os, time\nprint('pid', os.getpid(), flush=True)\ntime.sleep(60)\n";

    /// <summary>Prints its pid, then runs until the file named by its first argument exists, then exits 0.</summary>
    public const string ReleaseScript =
        "import os, sys, time\n" +
        "print('pid', os.getpid(), flush=True)\n" +
        "deadline = time.time() + 60\n" +
        "while not os.path.exists(sys.argv[1]) and time.time() < deadline:\n" +
        "    time.sleep(0.02)\n" +
        "print('released', flush=True)\n";

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>POSTs a batch, asserts 201 and returns its id.</summary>
    public static async Task<int> CreateBatchAsync(this LivyTestServer livy, object request)
    {
        var (status, body, _) = await livy.PostAsync("/batches", request);
        Assert.True(status == 201, $"POST /batches answered {status}: {body?.ToJsonString()}");
        return (int)body!["id"]!;
    }

    /// <summary>Runs a quick script as a batch and waits until it has finished.</summary>
    public static async Task<int> RunBatchToEndAsync(this LivyTestServer livy, string fileName, string script, params string[] states)
    {
        livy.Jobs.Write(fileName, script);
        var id = await livy.CreateBatchAsync(new { file = "local:///" + fileName });
        await livy.WaitForBatchAsync(id, states.Length == 0 ? ["success", "dead", "killed"] : states);
        return id;
    }

    /// <summary>The <c>log</c> array of a batch or log answer.</summary>
    public static List<string> Lines(JsonNode answer) => [.. answer["log"]!.AsArray().Select(l => (string)l!)];

    /// <summary>The whole buffered log of a batch.</summary>
    public static async Task<List<string>> FullLogAsync(this LivyTestServer livy, int id) =>
        Lines(await livy.GetJsonAsync($"/batches/{id}/log?from=0&size=-1"));

    /// <summary>Waits until the batch's script has printed its pid, and returns it.</summary>
    public static async Task<int> WaitForPidAsync(this LivyTestServer livy, int id)
    {
        var log = await livy.PollAsync($"/batches/{id}/log?from=0&size=-1", l => Lines(l).Any(IsPidLine));
        return int.Parse(Lines(log).First(IsPidLine)["pid ".Length..], CultureInfo.InvariantCulture);
    }

    private static bool IsPidLine(string line) => line.StartsWith("pid ", StringComparison.Ordinal);

    /// <summary>Whether a process with this pid still runs. A zombie does not: a job's process is
    /// ended together with its launcher (its parent), so it waits as a zombie for init to reap it.</summary>
    public static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux())
            return Sessions.SessionTestKit.IsAlive(pid);
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Asserts that an error body is a bare JSON string (not an object) and returns it.</summary>
    public static string BareString(JsonNode? body)
    {
        Assert.NotNull(body);
        Assert.True(body.GetValueKind() == JsonValueKind.String, $"expected a bare JSON string, got {body.ToJsonString()}");
        return (string)body!;
    }

    /// <summary>Asserts that an error body is exactly <c>{"msg": message}</c>.</summary>
    public static void AssertMsg(JsonNode? body, string message)
    {
        var obj = Assert.IsType<JsonObject>(body);
        Assert.Equal(["msg"], obj.Select(p => p.Key));
        Assert.Equal(message, (string?)obj["msg"]);
    }

    /// <summary>The <c>{"msg": ...}</c> text of an error body.</summary>
    public static string Msg(JsonNode? body)
    {
        var obj = Assert.IsType<JsonObject>(body);
        Assert.Equal(["msg"], obj.Select(p => p.Key));
        return (string)obj["msg"]!;
    }

    /// <summary>Polls the ResourceManager until the app is in <paramref name="state"/>; returns the app.</summary>
    public static Task<JsonNode> WaitForYarnStateAsync(this LivyTestServer livy, string appId, string state) =>
        livy.PollAsync($"/ws/v1/cluster/apps/{appId}", a => (string?)a["app"]!["state"] == state);

    /// <summary>An HttpClient without <c>X-Requested-By</c> or any other default header.</summary>
    public static HttpClient RawClient(LivyTestServer livy) => new() { BaseAddress = livy.Server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
}
