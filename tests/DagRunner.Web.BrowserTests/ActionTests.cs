using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DagRunner.Web.BrowserTests;

/// <summary>The UI's actions through the browser: trigger with conf, clear and run again, pause.</summary>
[Collection(ExamplesShared.Name)]
public sealed partial class ActionTests(ExampleProject project, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Trigger_WithConf_QueuesARunWhoseConfTheGridShows()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;
        await page.GotoAsync(WebRoutes.Grid("fan_out_fan_in"));

        await page.Locator("[data-action=\"trigger\"]").First.ClickAsync();
        await page.Locator("input[name=date]").FillAsync("2026-11-25");
        await page.Locator("textarea[name=conf]").FillAsync("{\"region\": \"emea\"}");
        await Screenshots.TakeAsync(page, "trigger-form");
        await page.Locator("[data-action=\"trigger-submit\"]").ClickAsync();

        await page.GotoAsync(WebRoutes.Grid("fan_out_fan_in"));
        var header = page.Locator("[data-run-id=\"manual__2026-11-25T00:00:00+00:00\"][title]").First;
        await Expect(header).ToHaveAttributeAsync("title", Emea());
        await Screenshots.TakeAsync(page, "trigger-queued");
    }

    [Fact]
    public async Task Trigger_BadJsonConf_ShowsWhereTheJsonIsWrong()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;
        await page.GotoAsync(WebRoutes.Grid("fan_out_fan_in"));
        await page.Locator("[data-action=\"trigger\"]").First.ClickAsync();

        await page.Locator("input[name=date]").FillAsync("2026-11-26");
        await page.Locator("textarea[name=conf]").FillAsync("{\n  \"region\": emea\n}");
        await page.Locator("[data-action=\"trigger-submit\"]").ClickAsync();

        await Expect(page.Locator(".form-error")).ToContainTextAsync(LineAndColumn());
        await Screenshots.TakeAsync(page, "trigger-bad-json");
        await page.GotoAsync(WebRoutes.Grid("fan_out_fan_in"));
        await Expect(page.Locator("[data-run-id=\"manual__2026-11-26T00:00:00+00:00\"]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Clear_ATaskThatSucceeded_ThenItRunsAgainAsANewAttempt()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync(); // a "are you sure?" confirm, if any
        var url = WebRoutes.TaskInstance("csharp_only", ExampleProject.RunId, "report");
        await page.GotoAsync(url);
        await Expect(State(page)).ToHaveAttributeAsync("data-task-state", "success");

        await page.Locator("[data-action=\"clear\"]").First.ClickAsync();

        await page.GotoAsync(url);
        await Expect(State(page)).Not.ToHaveAttributeAsync("data-task-state", SuccessOrFailed());
        await Screenshots.TakeAsync(page, "task-instance-cleared");

        // No scheduler runs here: the cleared run goes through the real engine as a user would test it.
        var (exit, output) = await project.Cli.RunAsync(["dags", "test", "csharp_only", "--date", ExampleProject.Date], TestContext.Current.CancellationToken);
        Assert.True(exit == 0, output);
        await page.GotoAsync(url);
        await Expect(State(page)).ToHaveAttributeAsync("data-task-state", "success");
        await Expect(page.Locator("[data-try=\"2\"]").First).ToBeVisibleAsync();
        await Expect(page.Locator("pre#log")).ToContainTextAsync("sum = 55");
        await Screenshots.TakeAsync(page, "task-instance-second-try");
    }

    [Fact]
    public async Task PauseToggle_OnTheDagsPage_PausesAndUnpauses()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;
        await page.GotoAsync(WebRoutes.Dags());
        var row = page.Locator("tr[data-dag-id=\"http_health\"]");
        var pause = row.Locator("[data-action=\"pause\"]");
        var unpause = row.Locator("[data-action=\"unpause\"]");
        await Expect(pause.Or(unpause)).ToBeVisibleAsync();
        var wasPaused = await unpause.CountAsync() == 1;

        await (wasPaused ? unpause : pause).ClickAsync();

        await Expect(wasPaused ? pause : unpause).ToBeVisibleAsync();
        await page.GotoAsync(WebRoutes.Dags());
        await Expect(wasPaused ? pause : unpause).ToBeVisibleAsync(); // kept in the store, not only on the page
        await Screenshots.TakeAsync(page, "dags-after-pause-toggle");
        await (wasPaused ? pause : unpause).ClickAsync();
        await Expect(wasPaused ? unpause : pause).ToBeVisibleAsync();
    }

    private static ILocator State(IPage page) => page.Locator("[data-task-state]").First;

    [GeneratedRegex("emea")]
    private static partial Regex Emea();

    [GeneratedRegex(@"line\s*\d+.*column\s*\d+|\d+:\d+", RegexOptions.IgnoreCase)]
    private static partial Regex LineAndColumn();

    [GeneratedRegex("^(success|failed)$")]
    private static partial Regex SuccessOrFailed();
}
