using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Dev;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Hosting.Tests.Dev;

/// <summary>dev's core without a terminal: each save answered with data (errors, what changed, what ran),
/// over the host's real catalog and loader.</summary>
public sealed class DevLoopTests
{
    private const string Etl = """
        var dag = new Dag("etl");
        var a = dag.Add(new ShellOperator("a") { Command = "echo a" });
        var b = dag.Add(new ShellOperator("b") { Command = "echo b" });
        a >> b;
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Saves_BrokenThenFixed_AreAnsweredWithTheErrorThenTheFix_AndKeepTheDag()
    {
        using var project = new HostProject();
        var file = project.Dag("etl.csx", Etl);
        using var host = project.Build(_ => { });
        var loop = new DevLoop(host.Services.GetRequiredService<DagCatalog>(), new StatementPreviews(TimeProvider.System, host.Services));
        await loop.StartAsync(Token);
        var answers = new List<DevAnswer>();
        Task Answered(DevAnswer answer)
        {
            answers.Add(answer);
            return Task.CompletedTask;
        }

        Assert.Equal("etl", Assert.Single(loop.Definitions).DagId);
        File.WriteAllText(file, Etl.Replace("a >> b;", "a >> c;", StringComparison.Ordinal));
        await loop.AnswerAsync([file], Answered, Token);
        File.WriteAllText(file, Etl.Replace("echo b", "echo B", StringComparison.Ordinal));
        await loop.AnswerAsync([file], Answered, Token);

        var broken = answers[0];
        Assert.Equal([file], broken.Saved);
        Assert.Equal(file, Assert.Single(broken.Errors).File);
        // Breaking a file does not remove its DAG: the last good definition is kept.
        Assert.Empty(broken.Changes);
        var fixedOne = answers[1];
        Assert.Empty(fixedOne.Errors);
        Assert.True(fixedOne.HadErrors);
        Assert.Equal([file], fixedOne.Fixed);
        Assert.NotEmpty(fixedOne.Changes);
        Assert.Equal([file], fixedOne.Ran);
        Assert.Equal("etl", Assert.Single(loop.Definitions).DagId);
    }
}
