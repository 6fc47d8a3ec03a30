using DagRunner.Operators.Tests.Livy;
using DagRunner.Sdk;

namespace DagRunner.Operators.Tests.Templates;

/// <summary>Templates rendered by the operators and run for real by LocalLivy's Python sessions and batches.</summary>
public sealed class TemplatedOperatorTests
{
    // Livy drops a statement's top-level frame from tracebacks, so errors are raised inside functions here.

    // Every character class that double escaping by hand gets wrong.
    private const string Awkward = "O'Brien \"Ltd\" \\ naïve\nzweite Zeile\t— 東京 😀";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TaskContext WithParams(TaskContext context, Dictionary<string, object?> parameters) => new()
    {
        DagId = context.DagId,
        TaskId = context.TaskId,
        RunId = context.RunId,
        LogicalDate = context.LogicalDate,
        Params = parameters,
        Log = context.Log,
        Services = context.Services,
    };

    [Fact]
    public async Task Session_LitParameterWithQuotesBackslashNewlineAndNonAscii_IsPrintedBackUnchanged()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("report/echo.py.sbn", "customer = {{ params.customer | lit }}\nprint(customer, end='')\n");
        var task = new LivySessionOperator("report")
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            Statements = { Statement.FromTemplate("report/echo.py.sbn"), Statement.Inline("print({{ params.customer | lit }} == customer, end='')") },
        };

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(WithParams(bed.Context("report", TextWriter.Null), new() { ["customer"] = Awkward }), Token))!;

        var outputs = (IReadOnlyList<string?>)output["outputs"]!;
        Assert.Equal(Awkward, outputs[0]);
        Assert.Equal("True", outputs[1]);
    }

    [Fact]
    public async Task Session_FileStatementFails_TracebackShowsTheFileLineAfterThePreamble()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("report/broken.py", "table = params['table']\ndef load(rows):\n    return rows[5]\nload([])\n");
        var task = new LivySessionOperator("report") { PollInterval = TimeSpan.FromMilliseconds(100), Statements = { Statement.FromFile("report/broken.py") } };

        var error = await Assert.ThrowsAsync<TaskFailedException>(() =>
            task.ExecuteAsync(WithParams(bed.Context("report", TextWriter.Null), new() { ["table"] = "sales" }), Token));

        Assert.Contains("IndexError", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 4, in load [report/broken.py:3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_TemplateStatementFails_TracebackShowsTheTemplateLine()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("report/load.py.sbn", "{{ for i in 1..2 }}\nx{{ i }} = {{ i }}\n{{ end }}\ndef parse(day):\n    return int(day)\nparse({{ ds | lit }})\n");
        var task = new LivySessionOperator("report") { PollInterval = TimeSpan.FromMilliseconds(100), Statements = { Statement.FromTemplate("report/load.py.sbn") } };

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(bed.Context("report", TextWriter.Null), Token));

        Assert.Contains("ValueError", error.Message, StringComparison.Ordinal);
        Assert.Contains("[report/load.py.sbn:5]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_UndefinedName_FailsBeforeAnySessionWithWhere()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var task = new LivySessionOperator("report") { Statements = { Statement.Inline("print(1)\nprint({{ params.missing | lit }})") } };

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(bed.Context("report", TextWriter.Null), Token));

        Assert.Contains("report.Statements[0]:2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("`missing` is not defined", error.Message, StringComparison.Ordinal);
        Assert.Null(await bed.Clients.Livy("livy_default").GetSessionAsync("0", Token));
    }

    [Fact]
    public async Task Batch_ArgumentsAndConfArriveRendered()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("jobs/argv.py", "import sys\nprint('ARGV', sys.argv[1:])\n");
        var task = new LivyBatchOperator("aggregate")
        {
            File = "local:///jobs/argv.py",
            Args = { "--date", "{{ ds }}", "--who", "{{ params.customer }}", "--run", "{{ run_id }}" },
            PollInterval = TimeSpan.FromMilliseconds(100),
            VerifyIn = VerifyIn.Yarn,
        };
        using var log = new StringWriter();

        await task.ExecuteAsync(WithParams(bed.Context("aggregate", log), new() { ["customer"] = "O'Brien" }), Token);

        Assert.Contains("ARGV ['--date', '2026-11-20', '--who', \"O'Brien\", '--run', 'manual__2026-11-20T00:00:00+00:00']", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"args\":[\"--date\",\"2026-11-20\",", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_SecretParameter_IsMaskedInTheLogButSent()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("jobs/argv.py", "import sys\nprint('LEN', len(sys.argv[2]))\n");
        var task = new LivyBatchOperator("load")
        {
            File = "local:///jobs/argv.py",
            Args = { "--password", "{{ params.db_password }}" },
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        using var log = new StringWriter();

        await task.ExecuteAsync(WithParams(bed.Context("load", log), new() { ["db_password"] = "hunter2-secret" }), Token);

        Assert.DoesNotContain("hunter2-secret", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"--password\",\"***\"", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("LEN 14", log.ToString(), StringComparison.Ordinal);
    }
}
