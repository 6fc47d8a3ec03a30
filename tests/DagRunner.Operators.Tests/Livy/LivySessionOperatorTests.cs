using DagRunner.Sdk;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>The session operator against LocalLivy's real Python sessions.</summary>
public sealed class LivySessionOperatorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Statements_RunInOrderInOneNamespace_OutputsRecorded_SessionDeleted()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("report/summarize.py", "total = sum(values)\nprint(f'total {total}')\n");
        var task = new LivySessionOperator("report")
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            Statements =
            {
                Statement.Inline("values = [1, 2, 3]"),
                Statement.FromFile("report/summarize.py"),
                Statement.Inline("total * 2"),
            },
        };
        using var log = new StringWriter();

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("report", log), Token))!;

        Assert.Equal("12", output["result"]);
        Assert.Equal(["", "total 6", "12"], (IEnumerable<string?>)output["outputs"]!);
        Assert.Contains("Statement 2/3 (report/summarize.py, pyspark), as sent:\nparams = {}\ntotal = sum(values)\n", log.ToString(), StringComparison.Ordinal);
        Assert.Null(await bed.Clients.Livy("livy_default").GetSessionAsync((string)output["session_id"]!, Token));
    }

    [Fact]
    public async Task StatementRaises_FailsWithEnameEvalueAndWhere_TracebackOnceInTheLog_SessionDeleted()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var task = new LivySessionOperator("t")
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            Statements = { Statement.Inline("def load(day):\n    raise KeyError(day)\nload('2026-11-20')"), Statement.Inline("print('never')") },
        };
        using var log = new StringWriter();

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(bed.Context("t", log), Token));

        Assert.Equal("Statement 1/2 (inline) failed: KeyError: '2026-11-20', at line 2, in load [t.Statements[0]:2]; the traceback is in the task log.", error.Message);
        Assert.Contains("Traceback (most recent call last):\n", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("line 2, in load [t.Statements[0]:2]\n", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("never", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("Deleted session 0.", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionDiesMidStatement_FailsWithTheSessionLog()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var task = new LivySessionOperator("t")
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            Conf = { ["livy.local.fault.die-on-statement"] = "0" },
            Statements = { Statement.Inline("import time\ntime.sleep(30)") },
        };

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(bed.Context("t", TextWriter.Null), Token));

        Assert.Contains("Session 0 died while statement 1/1 ran", error.Message, StringComparison.Ordinal);
        Assert.Contains("Its log", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_SessionStillDeleted()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var task = new LivySessionOperator("t")
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            Statements = { Statement.Inline("import time\ntime.sleep(60)") },
        };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var log = new CancelOnLine("Statement 1/1", cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.ExecuteAsync(bed.Context("t", log), cancel.Token));

        Assert.Contains("Deleted session 0.", log.ToString(), StringComparison.Ordinal);
        Assert.Null(await bed.Clients.Livy("livy_default").GetSessionAsync("0", Token));
    }

    [Fact]
    public async Task StatementFileOutsideTheTemplatesFolder_FailsBeforeAnySession()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var task = new LivySessionOperator("t") { Statements = { Statement.FromFile("../../etc/passwd") } };

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(bed.Context("t", TextWriter.Null), Token));

        Assert.Contains("../../etc/passwd: '..' is refused", error.Message, StringComparison.Ordinal);
        Assert.Null(await bed.Clients.Livy("livy_default").GetSessionAsync("0", Token));
    }
}
