namespace DagRunner.Cli.Tests;

/// <summary><c>dev</c> answering saves: real files, a real file watcher, the command in process.</summary>
public sealed class DevCommandTests
{
    private const string Good = """
        var dag = new Dag("etl");
        var a = dag.Add(new ShellOperator("a") { Command = "echo a" });
        var b = dag.Add(new ShellOperator("b") { Command = "echo b" });
        a >> b;
        """;

    // Collects what the command prints and lets the test wait for a line: the command answers a save
    // asynchronously, after the file watcher and the quiet time.
    private sealed class WaitingWriter : StringWriter
    {
        private readonly Lock _gate = new();
        private readonly System.Text.StringBuilder _text = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Write(char value)
        {
            lock (_gate)
            {
                _text.Append(value);
                _changed.TrySetResult();
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                _text.Append(value);
                _changed.TrySetResult();
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public override void WriteLine(string? value) => Write(value + "\n");

        public override string ToString()
        {
            lock (_gate)
                return _text.ToString();
        }

        public async Task WaitForAsync(string text, int occurrences = 1)
        {
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    if (Count(_text.ToString(), text) >= occurrences)
                        return;
                    changed = _changed.Task;
                }

                await changed.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            }
        }

        private static int Count(string haystack, string needle)
        {
            var count = 0;
            for (var at = haystack.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(needle, at + 1, StringComparison.Ordinal))
                count++;
            return count;
        }
    }

    [Fact]
    public async Task Saves_BrokenThenFixedThenChanged_EachAnsweredWithWhatItDid()
    {
        using var cli = new CliRun();
        var file = cli.Dag("etl.csx", Good);
        var output = new WaitingWriter();
        cli.OutputWriter = output;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var dev = cli.RunAsync(stop.Token, "dev", "--quiet-ms", "50");
        await output.WaitForAsync("Ctrl+C stops.");

        await File.WriteAllTextAsync(file, Good.Replace("a >> b;", "a >> b;\nvar broken = ;", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        await output.WaitForAsync("ms)");
        await File.WriteAllTextAsync(file, Good, TestContext.Current.CancellationToken);
        await output.WaitForAsync("ms)", 2);
        await File.WriteAllTextAsync(file, Good + "\nvar c = dag.Add(new ShellOperator(\"c\") { Command = \"echo c\" });\nb >> c;\n", TestContext.Current.CancellationToken);
        await output.WaitForAsync("ms)", 3);
        await stop.CancelAsync();
        var result = await dev;

        var text = output.ToString();
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Watching dags", text, StringComparison.Ordinal);
        Assert.Matches(@"dags/etl\.csx:5:\d+: CS\d+: ", text);
        Assert.Contains("    5 | var broken = ;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DAG etl removed", text, StringComparison.Ordinal);
        Assert.Contains("No import errors any more.", text, StringComparison.Ordinal);
        Assert.Contains("etl: task c added (ShellOperator, runs after b)", text, StringComparison.Ordinal);
        Assert.Contains("Stopped watching.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateSave_ShowsTheStatementsWhoseRenderedCodeChanged()
    {
        using var cli = new CliRun();
        cli.Dag("report.csx", """
            var dag = new Dag("rep");
            dag.Add(new LivySessionOperator("report") { Statements = { Statement.FromTemplate("report/load.py.sbn") } });
            """);
        var template = cli.Root.Write("templates/report/load.py.sbn", "day = {{ ds | lit }}\nprint(day)\n");
        var output = new WaitingWriter();
        cli.OutputWriter = output;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var dev = cli.RunAsync(stop.Token, "dev", "--quiet-ms", "50");
        await output.WaitForAsync("Ctrl+C stops.");
        await File.WriteAllTextAsync(template, "day = {{ ds | lit }}\nprint(day, 'changed')\n", TestContext.Current.CancellationToken);
        await output.WaitForAsync("now renders:");
        await output.WaitForAsync("changed')");
        await stop.CancelAsync();
        await dev;

        var text = output.ToString();
        Assert.Contains("rep.report statement 1 (report/load.py.sbn) now renders:", text, StringComparison.Ordinal);
        Assert.Contains("-   2 | print(day)", text, StringComparison.Ordinal);
        Assert.Contains("+   2 | print(day, 'changed')", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RunsTheDagAtTheStartAndAgainAfterEachGoodSave()
    {
        using var cli = new CliRun();
        var file = cli.Dag("etl.csx", Good);
        var output = new WaitingWriter();
        cli.OutputWriter = output;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var dev = cli.RunAsync(stop.Token, "dev", "--quiet-ms", "50", "--run", "etl");
        await output.WaitForAsync("Run of etl: success");
        await File.WriteAllTextAsync(file, Good.Replace("echo b", "echo second version", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        await output.WaitForAsync("Run of etl: success", 2);
        await stop.CancelAsync();
        var result = await dev;

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("b | b", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("b | second version", output.ToString(), StringComparison.Ordinal);
    }
}
