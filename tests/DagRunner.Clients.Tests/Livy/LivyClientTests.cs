using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;

namespace DagRunner.Clients.Tests.Livy;

/// <summary>The clients against LocalLivy over real HTTP on loopback.</summary>
public sealed class LivyClientTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Batch_CreateFollowLogAndVerify_AllFourApisAgree()
    {
        await using var fixture = await ClientsFixture.StartAsync();
        fixture.Jobs.Write("job.py", "import sys\nfor i in range(3):\n    print('line', i)\nsys.exit(int(sys.argv[1]))\n");

        var created = await fixture.Livy.CreateBatchAsync(new LivyBatchRequest { File = "local:///job.py", Args = ["0"], Name = "nightly-1", Conf = new Dictionary<string, string> { ["spark.yarn.tags"] = "DagRun-Tag-1" } }, Token);
        var done = await fixture.WaitForBatchAsync(created.Id);
        var byName = await fixture.Livy.GetBatchAsync("nightly-1", Token);
        var log = await fixture.Livy.GetBatchLogAsync(created.Id, from: 0, size: 100, Token);
        var yarn = await fixture.Yarn.GetAppAsync(done.AppId!, Token);
        var tagged = await fixture.Yarn.FindAppsByTagAsync("dagrun-tag-1", Token);
        var jobs = await fixture.Spark.GetJobsAsync(done.AppId!, null, Token);

        Assert.Equal("starting", created.State);
        Assert.Equal(LivyStates.Success, done.State);
        Assert.Equal(created.Id, byName!.Id);
        Assert.Contains("line 2", log!.Log);
        Assert.Equal(log.Log.Count, log.Total);
        Assert.True(yarn!.Succeeded);
        Assert.Equal(done.AppId, Assert.Single(tagged).Id);
        Assert.Equal("SUCCEEDED", Assert.Single(jobs!).Status);
    }

    [Fact]
    public async Task WebHdfs_CreateListOpenMkdirsDelete()
    {
        await using var fixture = await ClientsFixture.StartAsync();
        var hdfs = fixture.WebHdfs;

        Assert.True(await hdfs.MkdirsAsync("/data/sales", Token));
        await hdfs.CreateAsync("/data/sales/2026-11-20.csv", "region,total\nemea,120\n", overwrite: false, Token);
        await hdfs.CreateAsync("/data/sales/_SUCCESS", "", overwrite: false, Token);
        var listing = await hdfs.ListStatusAsync("/data/sales", Token);
        var text = await hdfs.OpenAsync("/data/sales/2026-11-20.csv", Token);
        var overwriteRefused = await Assert.ThrowsAsync<RemoteApiException>(() => hdfs.CreateAsync("/data/sales/_SUCCESS", "", overwrite: false, Token));
        var deleted = await hdfs.DeleteAsync("/data", recursive: true, Token);

        Assert.Equal(["2026-11-20.csv", "_SUCCESS"], listing!.Select(e => e.PathSuffix));
        Assert.Equal("region,total\nemea,120\n", text);
        Assert.Equal(403, overwriteRefused.Status);
        Assert.True(deleted);
        Assert.Null(await hdfs.ListStatusAsync("/data", Token));
        Assert.False(await hdfs.DeleteAsync("/data", recursive: true, Token));
    }

    [Fact]
    public async Task Lists_AndSparkStages()
    {
        await using var fixture = await ClientsFixture.StartAsync();
        fixture.Jobs.Write("job.py", "print('x')\n");
        var created = await fixture.Livy.CreateBatchAsync(new LivyBatchRequest { File = "local:///job.py" }, Token);
        var done = await fixture.WaitForBatchAsync(created.Id);

        var batches = await fixture.Livy.ListBatchesAsync(0, 10, Token);
        var sessions = await fixture.Livy.ListSessionsAsync(0, 10, Token);
        var stages = await fixture.Spark.GetStagesAsync(done.AppId!, null, Token);

        Assert.Equal(1, batches.Total);
        Assert.Equal(created.Id, Assert.Single(batches.Sessions).Id);
        Assert.Equal(0, sessions.Total);
        Assert.Equal("COMPLETE", Assert.Single(stages!).Status);
    }

    [Fact]
    public async Task UnknownIds_AreNull_NotErrors()
    {
        await using var fixture = await ClientsFixture.StartAsync();

        Assert.Null(await fixture.Livy.GetBatchAsync("41", Token));
        Assert.Null(await fixture.Livy.GetBatchStateAsync("41", Token));
        Assert.False(await fixture.Livy.DeleteBatchAsync("41", Token));
        Assert.Null(await fixture.Yarn.GetAppAsync("application_1_0001", Token));
        Assert.Null(await fixture.Spark.GetApplicationAsync("application_1_0001", Token));
        Assert.Null(await fixture.WebHdfs.GetFileStatusAsync("/no/such/_SUCCESS", Token));
    }

    [Fact]
    public async Task CreateBatch_DuplicateName_RemoteApiExceptionWithLivysReason()
    {
        await using var fixture = await ClientsFixture.StartAsync();
        fixture.Jobs.Write("job.py", "print('x')\n");
        await fixture.Livy.CreateBatchAsync(new LivyBatchRequest { File = "local:///job.py", Name = "same" }, Token);

        var error = await Assert.ThrowsAsync<RemoteApiException>(() => fixture.Livy.CreateBatchAsync(new LivyBatchRequest { File = "local:///job.py", Name = "same" }, Token));

        Assert.Equal(400, error.Status);
        Assert.StartsWith("Rejected, Reason: Duplicate session name", error.Detail, StringComparison.Ordinal);
        Assert.Contains("POST " + fixture.Server.BaseUrl + "batches answered 400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gets_ServerFailingHalfTheTime_StillAnswer_PostsAreSentOnce()
    {
        await using var fixture = await ClientsFixture.StartAsync();
        fixture.Jobs.Write("job.py", "print('x')\n");
        var created = await fixture.Livy.CreateBatchAsync(new LivyBatchRequest { File = "local:///job.py" }, Token);
        await fixture.WaitForBatchAsync(created.Id);
        fixture.Server.Faults.ServerErrorRate = 0.5;

        for (var i = 0; i < 20; i++)
            Assert.Equal(LivyStates.Success, (await fixture.Livy.GetBatchStateAsync(created.Id, Token))!.State);

        fixture.Server.Faults.ServerErrorRate = 1;
        fixture.Server.ClearRequestTimings();
        var error = await Assert.ThrowsAsync<RemoteApiException>(() => fixture.Livy.CreateBatchAsync(new LivyBatchRequest { File = "local:///job.py" }, Token));

        Assert.Equal(500, error.Status);
        Assert.Equal(1, fixture.Server.RequestTimings()["POST /batches"].Count);
    }

    [Fact]
    public async Task Session_StatementOkAndError_OutputsRead()
    {
        await using var fixture = await ClientsFixture.StartAsync();
        var session = await fixture.Livy.CreateSessionAsync(new LivySessionRequest { Kind = "pyspark", HeartbeatTimeoutInSecond = 60 }, Token);
        while ((await fixture.Livy.GetSessionAsync(session.Id, Token))!.State != LivyStates.Idle)
            await Task.Delay(20, Token);

        var ok = await RunAsync(fixture, session.Id, "6 * 7");
        var failed = await RunAsync(fixture, session.Id, "raise ValueError('bad input')");
        Assert.True(await fixture.Livy.DeleteSessionAsync(session.Id, Token));

        Assert.True(ok.Output!.IsOk);
        Assert.Equal("42", ok.Output.Text);
        Assert.False(failed.Output!.IsOk);
        Assert.Equal("ValueError", failed.Output.Ename);
        Assert.Equal("bad input", failed.Output.Evalue);
        Assert.Contains(failed.Output.Traceback!, line => line.StartsWith("ValueError", StringComparison.Ordinal));
    }

    private static async Task<LivyStatement> RunAsync(ClientsFixture fixture, string session, string code)
    {
        var statement = await fixture.Livy.SubmitStatementAsync(session, new LivyStatementRequest(code, null), Token);
        while (!LivyStates.IsFinalStatementState(statement.State))
        {
            await Task.Delay(20, Token);
            statement = (await fixture.Livy.GetStatementAsync(session, statement.Id, Token))!;
        }

        return statement;
    }
}
