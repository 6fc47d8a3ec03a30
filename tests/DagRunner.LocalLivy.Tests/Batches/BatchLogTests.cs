using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Batches;

/// <summary><c>GET /batches/{id}/log</c> paging (reference §0.1, §1.3, §8.13): the tail by
/// default, <c>from</c>/<c>size</c> slices, the rolling window and the errors.</summary>
public sealed class BatchLogTests
{
    // 150 numbered lines: the whole log is "stdout: ", line 0..149, "\nstderr: ", "\nYARN Diagnostics: ".
    private const string HundredFiftyLines = "for i in range(150):\n    print(f'line {i}')\n";
    private const int Total = 150 + 3;

    private static Task<int> RunHundredFiftyLinesAsync(LivyTestServer livy) =>
        livy.RunBatchToEndAsync("lines.py", HundredFiftyLines, "success");

    private static void AssertPage(JsonNode page, int id, int from, int total, IReadOnlyList<string> lines)
    {
        var obj = Assert.IsType<JsonObject>(page);
        Assert.Equal(["id", "from", "total", "log"], obj.Select(p => p.Key));
        Assert.Equal(id, (int)obj["id"]!);
        Assert.Equal(from, (int)obj["from"]!);
        Assert.Equal(total, (int)obj["total"]!);
        Assert.Equal(lines, BatchKit.Lines(obj));
    }

    [Fact]
    public async Task Log_NoFrom_AnswersTailOfDefaultHundredLines()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await RunHundredFiftyLinesAsync(livy);

        var page = await livy.GetJsonAsync($"/batches/{id}/log");

        // The last 100 of 153 lines: line 52 .. line 149 and the two markers.
        string[] expected = [.. Enumerable.Range(52, 98).Select(i => $"line {i}"), "\nstderr: ", "\nYARN Diagnostics: "];
        AssertPage(page, id, Total - 100, Total, expected);
    }

    [Fact]
    public async Task Log_NoFromWithSize_AnswersLastSizeLines()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await RunHundredFiftyLinesAsync(livy);

        var page = await livy.GetJsonAsync($"/batches/{id}/log?size=4");

        AssertPage(page, id, Total - 4, Total, ["line 148", "line 149", "\nstderr: ", "\nYARN Diagnostics: "]);
    }

    [Fact]
    public async Task Log_FromAndSize_AnswersThatSlice()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await RunHundredFiftyLinesAsync(livy);

        AssertPage(await livy.GetJsonAsync($"/batches/{id}/log?from=0&size=3"), id, 0, Total, ["stdout: ", "line 0", "line 1"]);
        AssertPage(await livy.GetJsonAsync($"/batches/{id}/log?from=11&size=2"), id, 11, Total, ["line 10", "line 11"]);
        // from without size: up to 100 lines from there.
        var fromOnly = await livy.GetJsonAsync($"/batches/{id}/log?from=100");
        Assert.Equal(Total - 100, BatchKit.Lines(fromOnly).Count);
        Assert.Equal("line 99", BatchKit.Lines(fromOnly)[0]);
        // A slice running past the end stops at the end.
        AssertPage(await livy.GetJsonAsync($"/batches/{id}/log?from={Total - 1}&size=10"), id, Total - 1, Total, ["\nYARN Diagnostics: "]);
    }

    [Fact]
    public async Task Log_NegativeSize_AnswersEverything()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await RunHundredFiftyLinesAsync(livy);
        string[] all = ["stdout: ", .. Enumerable.Range(0, 150).Select(i => $"line {i}"), "\nstderr: ", "\nYARN Diagnostics: "];

        AssertPage(await livy.GetJsonAsync($"/batches/{id}/log?size=-1"), id, 0, Total, all);
        AssertPage(await livy.GetJsonAsync($"/batches/{id}/log?from=0&size=-1"), id, 0, Total, all);
        AssertPage(await livy.GetJsonAsync($"/batches/{id}/log?from=151&size=-1"), id, 151, Total, all[151..]);
    }

    [Fact]
    public async Task Log_FromBeyondEnd_AnswersEmptyLogWithFromEchoed()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await RunHundredFiftyLinesAsync(livy);

        AssertPage(await livy.GetJsonAsync($"/batches/{id}/log?from=500&size=10"), id, 500, Total, []);
        AssertPage(await livy.GetJsonAsync($"/batches/{id}/log?from={Total}"), id, Total, Total, []);
    }

    [Fact]
    public async Task Log_ScriptPrintsFiveHundredLines_KeepsOnlyLastTwoHundred()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.RunBatchToEndAsync("many.py", "for i in range(500):\n    print(f'row {i}')\n", "success");

        var page = await livy.GetJsonAsync($"/batches/{id}/log?size=-1");

        string[] expected = ["stdout: ", .. Enumerable.Range(300, 200).Select(i => $"row {i}"), "\nstderr: ", "\nYARN Diagnostics: "];
        AssertPage(page, id, 0, 203, expected);
        // The batch object's own log field is the last ten lines of the same log.
        var batch = await livy.GetJsonAsync($"/batches/{id}");
        Assert.Equal(expected[^10..], BatchKit.Lines(batch));
    }

    [Fact]
    public async Task Log_LogLinesOption_SetsTheWindow()
    {
        await using var livy = await LivyTestServer.StartAsync(o => o.LogLines = 5);
        var id = await livy.RunBatchToEndAsync("many.py", "for i in range(20):\n    print(f'row {i}')\n", "success");

        var page = await livy.GetJsonAsync($"/batches/{id}/log?size=-1");

        AssertPage(page, id, 0, 8, ["stdout: ", "row 15", "row 16", "row 17", "row 18", "row 19", "\nstderr: ", "\nYARN Diagnostics: "]);
    }

    [Theory]
    [InlineData("from=x", "x")]
    [InlineData("size=abc", "abc")]
    [InlineData("from=1.5&size=2", "1.5")]
    public async Task Log_NonIntegerParameter_Answers400WithNumberFormatMessage(string query, string bad)
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await RunHundredFiftyLinesAsync(livy);

        var (status, body, _) = await livy.SendAsync(HttpMethod.Get, $"/batches/{id}/log?{query}");

        Assert.Equal(400, status);
        BatchKit.AssertMsg(body, $"For input string: \"{bad}\"");
    }
}
