using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DagRunner.Web.BrowserTests;

/// <summary>The task instance page: a failed task's log and evidence, and a log growing live.</summary>
[Collection(ExamplesShared.Name)]
public sealed partial class TaskInstanceTests(ExampleProject project, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TaskPage_VerifiesOfClusterModeCheck_ShowsItsLogAndThatYarnContradictsLivy()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;

        var response = await page.GotoAsync(WebRoutes.TaskInstance("cluster_mode_check", ExampleProject.RunId, "verifies"));

        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("[data-task-state]").First).ToHaveAttributeAsync("data-task-state", "failed");
        await Expect(page.Locator("pre#log")).ToContainTextAsync("YARN: FAILED");
        await Expect(page.Locator("pre#log")).ToContainTextAsync("the sources disagree");
        var evidence = page.Locator("section.evidence");
        await Expect(evidence.Locator("[data-source=\"Livy\"]")).ToContainTextAsync(Success());
        await Expect(evidence.Locator("[data-source=\"YARN\"]")).ToContainTextAsync(Failed());
        await Expect(evidence.Locator("[data-verdict=\"failed\"]")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "task-instance-failed");
    }

    [Fact]
    public async Task TaskPage_RunningTask_ShowsANewLogLineWithoutReload()
    {
        var go = ExtraDags.GoFile(project.Folder.Path);
        var token = TestContext.Current.CancellationToken;
        await using var run = project.Cli.Start(["dags", "test", ExtraDags.LiveLogDag, "--date", ExampleProject.Date]);
        await run.Output.WaitForAsync("first line", token);
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;

        await page.GotoAsync(WebRoutes.TaskInstance(ExtraDags.LiveLogDag, ExampleProject.RunId, ExtraDags.LiveLogTask));
        await Expect(page.Locator("pre#log")).ToContainTextAsync("first line");
        await Expect(page.Locator("pre#log")).Not.ToContainTextAsync("second line");
        // A mark that a reload would wipe out.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        Directory.CreateDirectory(Path.GetDirectoryName(go)!);
        await File.WriteAllTextAsync(go, "", token);

        await Expect(page.Locator("pre#log")).ToContainTextAsync("second line");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
        await Screenshots.TakeAsync(page, "task-instance-live-log");
        Assert.Equal(0, await run.WaitAsync(token));
    }

    [GeneratedRegex("succe", RegexOptions.IgnoreCase)]
    private static partial Regex Success();

    [GeneratedRegex("failed", RegexOptions.IgnoreCase)]
    private static partial Regex Failed();
}
