namespace DagRunner.Web.BrowserTests;

public sealed class SmokeTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Chromium_Starts()
    {
        var page = await browser.Browser.NewPageAsync();
        await page.SetContentAsync("<p id=x>hi</p>");
        Assert.Equal("hi", await page.InnerTextAsync("#x"));
    }
}
