using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DagRunner.Web.BrowserTests;

/// <summary>A broken DAG file dropped in the folder, and a bad URL, over a small project of their own
/// (the broken file would show on every page of the examples' project).</summary>
public sealed class ImportErrorTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private SmallProject? _project;

    private SmallProject Project => _project!;

    public async ValueTask InitializeAsync() => _project = await SmallProject.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_project is not null)
            await _project.DisposeAsync();
    }

    [Fact]
    public async Task DagsPage_BrokenFileDroppedInTheFolder_ShowsItsImportErrorAtTheTop()
    {
        await using var tab = await browser.OpenAsync(Project.Url);
        var page = tab.Page;
        await page.GotoAsync(WebRoutes.Dags());
        await Expect(page.Locator("tr[data-dag-id=\"good\"]")).ToBeVisibleAsync();
        await Expect(page.Locator(".import-error")).ToHaveCountAsync(0);

        Project.Folder.Write(Path.Combine("dags", "broken.csx"), SmallProject.BrokenDag);
        await page.ReloadAsync();

        var error = page.Locator(".import-error").First;
        await Expect(error).ToContainTextAsync("broken.csx:2:");
        await Expect(error).ToContainTextAsync("undefinedThing");
        await Expect(page.Locator("tr[data-dag-id=\"good\"]")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "dags-import-error");
    }

    [Fact]
    public async Task BadUrl_ShowsTheNotFoundPage()
    {
        await using var tab = await browser.OpenAsync(Project.Url);
        var page = tab.Page;

        var response = await page.GotoAsync(WebRoutes.Grid("no_such_dag"));

        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("body")).ToContainTextAsync("no_such_dag");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Exception");
        await Screenshots.TakeAsync(page, "not-found");
    }
}
