using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using DagRunner.Hosting.Configuration;

namespace DagRunner.Cli.Tests;

/// <summary><c>web</c>, <c>web hash-password</c> and the web UI of <c>standalone</c>, run in process over real HTTP.</summary>
public sealed class WebCommandTests
{
    private const string Dag = """
        var dag = new Dag("etl") { StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
        dag.Add(new CSharpOperator("extract", ctx => 42));
        """;

    private static readonly Regex WebUrl = new(@"Web UI at (http://127\.0\.0\.1:(\d+)/)", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HashPassword_APipedPassword_PrintsAHashOfIt()
    {
        using var cli = new CliRun { Input = "correct horse\n" };

        var result = await cli.RunAsync("web", "hash-password");

        Assert.True(result.ExitCode == 0, result.Error);
        var hash = result.Output.Trim();
        Assert.StartsWith("pbkdf2-sha256$600000$", hash, StringComparison.Ordinal);
        Assert.True(WebPasswordHash.Verify("correct horse", hash));
        Assert.False(WebPasswordHash.Verify("correct horse\n", hash));
        Assert.Contains("\"passwordHash\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashPassword_NothingOnStandardInput_Exits2()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("web", "hash-password");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no password on standard input", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standalone_PrintsTheWebUiUrlAndServesTheDagsPage()
    {
        var output = new WatchedWriter();
        using var cli = new CliRun { OutputWriter = output };
        cli.Dag("etl.csx", Dag);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var standalone = cli.RunAsync(stop.Token, "standalone", "--web-port", "0", "--loop-seconds", "0.2");
        var url = await UrlAsync(output, standalone);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var dags = await http.GetAsync("/dags", Token);
        using var api = await http.GetAsync("/api/dags", Token);
        await stop.CancelAsync();
        var result = await standalone;

        Assert.NotEqual("0", WebUrl.Match(result.Output).Groups[2].Value);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Contains("\"etl\"", await api.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, dags.StatusCode);
        Assert.Contains("data-dag-id=\"etl\"", await dags.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public async Task Web_PortFromTheEnvironment_IsUsedWhenNoFlagIsGiven()
    {
        var output = new WatchedWriter();
        using var cli = new CliRun { OutputWriter = output };
        cli.Dag("etl.csx", Dag);
        cli.SetEnvironment("DAGRUNNER_WEB_PORT", "0");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var web = cli.RunAsync(stop.Token, "web");
        var url = await UrlAsync(output, web);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var api = await http.GetAsync("/api/dags", Token);
        await stop.CancelAsync();
        var result = await web;

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("). Ctrl+C stops it.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_ShowsTheDagsTheLastLoadBuilt_WithoutRunningTheirCode_AndRunsAFileToPreviewIt()
    {
        var output = new WatchedWriter();
        using var cli = new CliRun { OutputWriter = output };
        // Each run of the file's code leaves a line, outside the DAGs folder.
        var log = cli.Root["runs.log"];
        cli.Dag("etl.csx", $$$"""
            File.AppendAllText(@"{{{log}}}", "ran\n");
            var dag = new Dag("etl") { StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
            dag.Add(new ShellOperator("extract") { Command = "echo {{ ds }}" });
            """);
        var list = await cli.RunAsync("dags", "list");
        var afterList = Lines(log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var web = cli.RunAsync(stop.Token, "web", "--port", "0");
        var url = await UrlAsync(output, web);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var dags = await http.GetStringAsync("/dags", Token);
        var api = await http.GetStringAsync("/api/dags/etl", Token);
        var shown = Lines(log);
        var code = await http.GetStringAsync("/dags/etl/code?date=2026-11-20", Token);
        var previewed = Lines(log);
        var again = await http.GetStringAsync("/dags/etl/code?date=2026-11-21", Token);
        await stop.CancelAsync();
        var result = await web;

        Assert.True(list.ExitCode == 0, list.Error);
        Assert.True(afterList > 0);
        Assert.Contains("data-dag-id=\"etl\"", dags, StringComparison.Ordinal);
        Assert.Contains("\"extract\"", api, StringComparison.Ordinal);
        Assert.Equal(afterList, shown);
        Assert.True(previewed > shown, "the code page's previews did not run the file");
        Assert.Contains("echo 2026-11-20", code, StringComparison.Ordinal);
        // The file that ran for the previews is kept for the load: the next preview does not run it again.
        Assert.Contains("echo 2026-11-21", again, StringComparison.Ordinal);
        Assert.Equal(previewed, Lines(log));
        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Theory]
    [InlineData("web", "--port")]
    [InlineData("standalone", "--web-port")]
    public async Task PortInUse_Exits2NamingThePortAndTheOptionToChooseAnother(string command, string option)
    {
        using var cli = new CliRun();
        cli.Dag("etl.csx", Dag);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await cli.RunAsync(command, option, port);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: port {port} on 127.0.0.1 is in use", result.Error, StringComparison.Ordinal);
        Assert.Contains($"choose another with {option}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Scheduler started", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_AnyAddressWithoutUsers_Exits2SayingToConfigureOne()
    {
        using var cli = new CliRun();
        cli.Dag("etl.csx", Dag);

        var result = await cli.RunAsync("web", "--host", "0.0.0.0", "--port", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: the web UI may listen on 0.0.0.0 (not a loopback address) only with sign-in, and no user is configured", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_APlainTextPasswordInTheSettings_Exits2SayingHowToHashIt()
    {
        using var cli = new CliRun();
        cli.Dag("etl.csx", Dag);
        cli.Root.Write("dagrunner.json", """{ "web": { "users": [ { "name": "ana", "password": "hunter2" } ] } }""");

        var result = await cli.RunAsync("web", "--port", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a plain-text \"password\" is refused", result.Error, StringComparison.Ordinal);
        Assert.Contains("dagrunner web hash-password", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
    }

    private static int Lines(string file) => File.Exists(file) ? File.ReadAllLines(file).Length : 0;

    // The URL the command prints, or a failure with what it said when it ended first.
    private static async Task<string> UrlAsync(WatchedWriter output, Task<CliResult> command)
    {
        var seen = output.WaitForAsync(WebUrl);
        if (await Task.WhenAny(seen, command) != seen)
            Assert.Fail($"the command ended before printing its URL (exit {command.Result.ExitCode}): {command.Result.Error}{output}");
        return (await seen).Groups[1].Value;
    }
}
