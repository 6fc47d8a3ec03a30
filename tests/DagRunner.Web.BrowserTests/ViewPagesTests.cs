using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DagRunner.Web.BrowserTests;

/// <summary>A DAG's run, graph, durations and code pages in the browser, after the real run of
/// cluster_mode_check (its first task believed Livy and succeeded, the second verified and failed).</summary>
[Collection(ExamplesShared.Name)]
public sealed class ViewPagesTests(ExampleProject project, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Dag = "cluster_mode_check";

    [Fact]
    public async Task RunPage_ShowsTheRunsTasksInTheirStates_WithTheRunsActions()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;

        var response = await page.GotoAsync(WebRoutes.Run(Dag, ExampleProject.RunId));

        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("body")).ToContainTextAsync("believes_livy");
        await Expect(page.Locator("body")).ToContainTextAsync("verifies");
        await Expect(page.Locator("[data-action=\"mark-run-success\"]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-action=\"mark-run-failed\"]")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "run");
    }

    [Fact]
    public async Task Graph_ColoursEachTaskByTheRunsState_AndDrawsTheDependency()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;

        await page.GotoAsync(WebRoutes.Graph(Dag, ExampleProject.RunId));

        await Expect(page.Locator("svg.graph")).ToBeVisibleAsync();
        await Expect(page.Locator("g.node[data-task-id=\"believes_livy\"]")).ToHaveClassAsync(StateClass("success"));
        await Expect(page.Locator("g.node[data-task-id=\"verifies\"]")).ToHaveClassAsync(StateClass("failed"));
        await Expect(page.Locator("svg.graph path.edge")).ToHaveCountAsync(1);
        await Screenshots.TakeAsync(page, "graph");
    }

    [Fact]
    public async Task Durations_DrawsTheRunsAsAChart()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;

        await page.GotoAsync(WebRoutes.Durations(Dag));

        await Expect(page.Locator("svg.durations-chart")).ToBeVisibleAsync();
        await Expect(page.Locator("svg.durations-chart rect.run-bar").First).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "durations");
    }

    [Fact]
    public async Task Code_ShowsTheDagFileAndWhatEachTaskWouldSend_ForTheChosenDate()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;

        await page.GotoAsync(WebRoutes.Code(Dag, ExampleProject.Date));

        await Expect(page.Locator("pre.source").First).ToContainTextAsync("new Dag(\"cluster_mode_check\")");
        await Expect(page.Locator("section.previews")).ToContainTextAsync("failing_job.py");
        await Screenshots.TakeAsync(page, "code");
    }

    private static Regex StateClass(string state) => new($@"\bstate-{state}\b");
}
