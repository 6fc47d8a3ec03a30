using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DagRunner.Web.BrowserTests;

/// <summary>The DAGs page and a DAG's grid, after real runs of the examples.</summary>
[Collection(ExamplesShared.Name)]
public sealed class DagsPageTests(ExampleProject project, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task DagsPage_ListsEveryExampleDag_WithTheMarksOfItsRuns()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;

        var response = await page.GotoAsync(WebRoutes.Dags());

        Assert.Equal(200, response!.Status);
        Assert.NotEmpty(project.ExampleDagIds);
        foreach (var dagId in project.ExampleDagIds)
            await Expect(Row(page, dagId)).ToBeVisibleAsync();
        await Expect(Row(page, "cluster_mode_check").Locator(".recent-runs .mark.state-failed")).ToHaveCountAsync(1);
        await Expect(Row(page, "csharp_only").Locator(".recent-runs .mark.state-success")).ToHaveCountAsync(1);
        await Expect(Row(page, "spark_batches").Locator(".recent-runs .mark")).ToHaveCountAsync(0);
        await Expect(page.Locator(".import-error")).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "dags");
    }

    [Fact]
    public async Task Grid_ClusterModeCheck_ShowsTheRunsCellsInTheirStates()
    {
        await using var tab = await browser.OpenAsync(project.Url);
        var page = tab.Page;

        await page.GotoAsync(WebRoutes.Grid("cluster_mode_check"));

        await Expect(Cell(page, "believes_livy")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bstate-success\b"));
        await Expect(Cell(page, "verifies")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bstate-failed\b"));
        await Expect(page.Locator($"[data-run-id=\"{ExampleProject.RunId}\"]:not(a.cell)").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-action=\"trigger\"]").First).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "grid");

        // A cell leads to its task instance.
        await Cell(page, "verifies").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/tasks/verifies"));
    }

    private static ILocator Row(IPage page, string dagId) => page.Locator($"tr[data-dag-id=\"{dagId}\"]");

    private static ILocator Cell(IPage page, string taskId) =>
        page.Locator($"a.cell[data-run-id=\"{ExampleProject.RunId}\"][data-task-id=\"{taskId}\"]");
}
