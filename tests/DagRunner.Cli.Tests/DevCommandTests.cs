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

        /// <summary>Waits for the <paramref name="number"/>th answer to a save and returns it, from its
        /// <c>Saved:</c> line to its closing <c>(N ms)</c> line.</summary>
        public async Task<string> AnswerAsync(int number)
        {
            await WaitForAsync(" ms)\n", number);
            var text = ToString();
            var start = 0;
            for (var i = 0; i < number; i++)
                start = text.IndexOf("Saved: ", start + (i == 0 ? 0 : 1), StringComparison.Ordinal);
            var end = 0;
            for (var i = 0; i < number; i++)
                end = text.IndexOf(" ms)\n", end + 1, StringComparison.Ordinal);
            return text[start..(end + 5)];
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
        using var dev = new RunningDev(cli, "--quiet-ms", "50");
        var output = dev.Output;
        await output.WaitForAsync("Ctrl+C stops.");

        await SaveAsync(file, Good.Replace("a >> b;", "a >> b;\nvar broken = ;", StringComparison.Ordinal));
        await output.WaitForAsync("ms)");
        await SaveAsync(file, Good);
        await output.WaitForAsync("ms)", 2);
        await SaveAsync(file, Good + "\nvar c = dag.Add(new ShellOperator(\"c\") { Command = \"echo c\" });\nb >> c;\n");
        await output.WaitForAsync("ms)", 3);
        var result = await dev.StopAsync();

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
    public async Task ScriptedEditingSession_EachStepAnsweredWithWhatItDid()
    {
        using var cli = new CliRun();
        cli.Dag("_common.csx", "static string Greeting() => \"hello\";");
        var etl = cli.Dag("etl.csx", """
            #load "_common.csx"
            var dag = new Dag("etl");
            var a = dag.Add(new ShellOperator("a") { Command = "echo " + Greeting() });
            var report = dag.Add(new LivySessionOperator("report") { Statements = { Statement.FromTemplate("report.py.sbn") } });
            a >> report;
            """);
        var other = cli.Dag("other.csx", "new Dag(\"other\").Add(new ShellOperator(\"x\") { Command = \"echo x\" });");
        var template = cli.Root.Write("templates/report.py.sbn", "day = {{ ds | lit }}\nprint(day)\n");
        // Each step below saves as editors do, through a temp file renamed over the original, so a step
        // is one event and one answer even on a slow machine.
        using var dev = new RunningDev(cli, "--quiet-ms", "100");
        var output = dev.Output;
        await output.WaitForAsync("Ctrl+C stops.");

        // 1. A change to a task.
        await SaveAsync(etl, (await File.ReadAllTextAsync(etl, Token)).Replace("echo \" + Greeting()", "echo \" + Greeting() + \"!\"", StringComparison.Ordinal));
        var renamedOver = await output.AnswerAsync(1);
        Assert.Contains("Saved: dags/etl.csx\n", renamedOver, StringComparison.Ordinal);
        Assert.Contains("etl: task a fields changed", renamedOver, StringComparison.Ordinal);
        Assert.Contains("ran dags/etl.csx, kept 1 unchanged", renamedOver, StringComparison.Ordinal);

        // 2. Broken: the error at file:line:col with the line and a marker; the DAG is not "removed".
        var good = await File.ReadAllTextAsync(etl, Token);
        await SaveAsync(etl, good.Replace("a >> report;", "a >> report;\nvar broken = ;", StringComparison.Ordinal));
        var broken = await output.AnswerAsync(2);
        Assert.Contains("dags/etl.csx:6:14: CS1525: Invalid expression term ';'", broken, StringComparison.Ordinal);
        Assert.Contains("    6 | var broken = ;\n        |              ^", broken, StringComparison.Ordinal);
        Assert.DoesNotContain("removed", broken, StringComparison.Ordinal);

        // 3. Fixed: said so, and not reported as a new DAG.
        await SaveAsync(etl, good);
        var fixedAgain = await output.AnswerAsync(3);
        Assert.Contains("fixed: dags/etl.csx", fixedAgain, StringComparison.Ordinal);
        Assert.Contains("No import errors any more.", fixedAgain, StringComparison.Ordinal);
        Assert.Contains("No change to the DAG definitions.", fixedAgain, StringComparison.Ordinal);

        // 4. A helper: only the file that #loads it runs again.
        await SaveAsync(Path.Combine(cli.Root.Path, "dags", "_common.csx"), "static string Greeting() => \"bonjour\";");
        var helper = await output.AnswerAsync(4);
        Assert.Contains("etl: task a fields changed", helper, StringComparison.Ordinal);
        Assert.Contains("ran dags/etl.csx, kept 1 unchanged", helper, StringComparison.Ordinal);

        // 5. A template: no file runs; the statement's new rendering is shown as a diff.
        await SaveAsync(template, "day = {{ ds | lit }}\nprint('day', day)\n");
        var templated = await output.AnswerAsync(5);
        Assert.Contains("no file had to run", templated, StringComparison.Ordinal);
        Assert.Contains("etl.report statement 1 (report.py.sbn) now renders:", templated, StringComparison.Ordinal);
        Assert.Contains("+   2 | print('day', day)", templated, StringComparison.Ordinal);

        // 6. A broken template: an import error at the template's line and column.
        await SaveAsync(template, "day = {{ ds | lit }}\nprint({{ nope }})\n");
        var badTemplate = await output.AnswerAsync(6);
        Assert.Contains("`nope` is not defined", badTemplate, StringComparison.Ordinal);
        Assert.Contains("report.py.sbn:2:", badTemplate, StringComparison.Ordinal);

        // 7. A DAG file renamed, then deleted.
        await SaveAsync(template, "day = {{ ds | lit }}\nprint('day', day)\n");
        await output.AnswerAsync(7);
        File.Move(other, other.Replace("other.csx", "renamed.csx", StringComparison.Ordinal));
        var renamed = await output.AnswerAsync(8);
        Assert.Contains("ran dags/renamed.csx", renamed, StringComparison.Ordinal);
        Assert.DoesNotContain("DAG other removed", renamed, StringComparison.Ordinal);
        File.Delete(other.Replace("other.csx", "renamed.csx", StringComparison.Ordinal));
        var deleted = await output.AnswerAsync(9);
        Assert.Contains("DAG other removed", deleted, StringComparison.Ordinal);

        Assert.Equal(0, (await dev.StopAsync()).ExitCode);
    }

    [Fact]
    public async Task RunWarm_KeepsTheSession_AndRunsOnlyFromTheFirstChangedStatement()
    {
        using var cli = new CliRun();
        // The first statement counts how often it ran in this interpreter: only a kept session counts past 1.
        const string Count = "runs = globals().get('runs', 0) + 1";
        var file = cli.Dag("warm.csx", Warm(Count, "print('runs', runs)"));
        using var dev = new RunningDev(cli, "--quiet-ms", "100", "--run", "warm", "--warm");
        var output = dev.Output;
        await output.WaitForAsync("Run of warm: success");
        Assert.Contains("report | runs 1", output.ToString(), StringComparison.Ordinal);

        // The second statement changed: the first is skipped, its effect still in the session.
        await SaveAsync(file, Warm(Count, "print('runs now', runs)"));
        await output.WaitForAsync("Run of warm: success", 2);
        Assert.Contains("statement(s) 1-1 unchanged since the last run, skipped; running from statement 2", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("report | runs now 1", output.ToString(), StringComparison.Ordinal);

        // The first statement changed: both run again, in the same interpreter.
        await SaveAsync(file, Warm(Count + "  # again", "print('runs now', runs)"));
        await output.WaitForAsync("Run of warm: success", 3);
        Assert.Contains("report | runs now 2", output.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, (await dev.StopAsync()).ExitCode);
        var text = output.ToString();
        Assert.Equal(1, text.Split("Created Livy session").Length - 1);
        Assert.Contains("Deleted 1 warm session(s).", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FixingABrokenFile_ShowsTheStatementsTheFixChanged()
    {
        static string Dag(string code) => $$"""
            var dag = new Dag("rep");
            dag.Add(new LivySessionOperator("report") { Statements = { Statement.Inline("{{code}}") } });
            """;
        using var cli = new CliRun();
        var file = cli.Dag("rep.csx", Dag("print(1)"));
        using var dev = new RunningDev(cli, "--quiet-ms", "100");
        var output = dev.Output;
        await output.WaitForAsync("Ctrl+C stops.");

        await SaveAsync(file, Dag("print(1)") + "\nvar broken = ;\n");
        await output.AnswerAsync(1);
        await SaveAsync(file, Dag("print(2)"));
        var fixedAnswer = await output.AnswerAsync(2);
        await dev.StopAsync();

        Assert.Contains("fixed: dags/rep.csx", fixedAnswer, StringComparison.Ordinal);
        Assert.Contains("rep.report statement 1 (inline) now renders:", fixedAnswer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingABrokenFile_IsARemovalNotAFix()
    {
        using var cli = new CliRun();
        var file = cli.Dag("etl.csx", Good);
        using var dev = new RunningDev(cli, "--quiet-ms", "100");
        var output = dev.Output;
        await output.WaitForAsync("Ctrl+C stops.");

        await SaveAsync(file, Good + "\nvar broken = ;\n");
        await output.AnswerAsync(1);
        File.Delete(file);
        var deleted = await output.AnswerAsync(2);
        await dev.StopAsync();

        Assert.Contains("DAG etl removed", deleted, StringComparison.Ordinal);
        Assert.DoesNotContain("fixed:", deleted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DagBrokenAtStart_GetsTheEmbeddedLivyOnceFixed()
    {
        using var cli = new CliRun();
        var good = Warm("x = 1", "print('x', x)");
        var file = cli.Dag("warm.csx", good + "\nvar broken = ;\n");
        using var dev = new RunningDev(cli, "--quiet-ms", "100", "--run", "warm");
        var output = dev.Output;
        await output.WaitForAsync("Not running warm: it did not load.");

        await SaveAsync(file, good);
        await output.WaitForAsync("Run of warm: ");
        await dev.StopAsync();

        Assert.Contains("Run of warm: success", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("report | x 1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplatesFolderCreatedAfterTheStart_IsWatchedFromThen()
    {
        using var cli = new CliRun();
        cli.Dag("rep.csx", """
            var dag = new Dag("rep");
            dag.Add(new LivySessionOperator("report") { Statements = { Statement.FromTemplate("report.py.sbn") } });
            """);
        using var dev = new RunningDev(cli, "--quiet-ms", "100");
        var output = dev.Output;
        await output.WaitForAsync("Ctrl+C stops.");
        Assert.DoesNotContain(" and templates", output.ToString(), StringComparison.Ordinal);

        // The folder appears with the template the DAG needs, then the template is edited.
        var staging = cli.Root.Write("staging/report.py.sbn", "print({{ ds | lit }})\n");
        Directory.Move(Path.GetDirectoryName(staging)!, Path.Combine(cli.Root.Path, "templates"));
        var appeared = await output.AnswerAsync(1);
        await SaveAsync(Path.Combine(cli.Root.Path, "templates", "report.py.sbn"), "print('day', {{ ds | lit }})\n");
        var edited = await output.AnswerAsync(2);
        await dev.StopAsync();

        Assert.Contains("No import errors any more.", appeared, StringComparison.Ordinal);
        Assert.Contains("rep.report statement 1 (report.py.sbn) now renders:", edited, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warm_WithoutRun_IsAUsageError()
    {
        using var cli = new CliRun();
        cli.Dag("etl.csx", Good);

        var result = await cli.RunAsync("dev", "--warm");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("give --run DAG too", result.Error, StringComparison.Ordinal);
    }

    private static string Warm(string first, string second) => $$"""
        var dag = new Dag("warm");
        dag.Add(new LivySessionOperator("report") { Statements = { Statement.Inline("{{first}}"), Statement.Inline("{{second}}") } });
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // `dagrunner dev` running in process with its output captured, until StopAsync (a Ctrl+C).
    private sealed class RunningDev : IDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        private readonly Task<CliResult> _run;

        public RunningDev(CliRun cli, params string[] arguments)
        {
            cli.OutputWriter = Output;
            _run = cli.RunAsync(_stop.Token, ["dev", .. arguments]);
        }

        public WaitingWriter Output { get; } = new();

        public async Task<CliResult> StopAsync()
        {
            await _stop.CancelAsync();
            return await _run;
        }

        public void Dispose() => _stop.Dispose();
    }

    private static async Task SaveAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path + ".tmp", text, Token);
        File.Move(path + ".tmp", path, overwrite: true);
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
        using var dev = new RunningDev(cli, "--quiet-ms", "50");
        var output = dev.Output;
        await output.WaitForAsync("Ctrl+C stops.");
        await SaveAsync(template, "day = {{ ds | lit }}\nprint(day, 'changed')\n");
        await output.WaitForAsync("now renders:");
        await output.WaitForAsync("changed')");
        await dev.StopAsync();

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
        using var dev = new RunningDev(cli, "--quiet-ms", "50", "--run", "etl");
        var output = dev.Output;
        await output.WaitForAsync("Run of etl: success");
        await SaveAsync(file, Good.Replace("echo b", "echo second version", StringComparison.Ordinal));
        await output.WaitForAsync("Run of etl: success", 2);
        var result = await dev.StopAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("b | b", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("b | second version", output.ToString(), StringComparison.Ordinal);
    }
}
