using Microsoft.Playwright;

namespace DagRunner.Web.BrowserTests;

/// <summary>Full-page screenshots for a person to look at, in <c>screenshots/</c> beside the test
/// assembly (tests/DagRunner.Web.BrowserTests/bin/Debug/net10.0/screenshots/NAME.png).</summary>
internal static class Screenshots
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task TakeAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = true });
    }
}
