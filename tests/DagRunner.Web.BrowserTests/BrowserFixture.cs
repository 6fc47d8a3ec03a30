using Microsoft.Playwright;

namespace DagRunner.Web.BrowserTests;

/// <summary>One headless Chromium per test class; each test opens its own context (cookies, storage)
/// with <see cref="NewPageAsync"/>.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not started");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Chromium.ExecutablePath))
            throw new InvalidOperationException(Chromium.Missing);
        // The driver (node and Playwright's package) ships in the NuGet package and starts offline.
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(Chromium.LaunchOptions());
    }

    /// <summary>A page whose context is closed on dispose.</summary>
    public sealed class Tab(IPage page) : IAsyncDisposable
    {
        public IPage Page { get; } = page;

        public ValueTask DisposeAsync() => new(Page.Context.CloseAsync());
    }

    /// <summary>A page in a fresh context (no cookies from another test) whose relative URLs go to
    /// <paramref name="baseUrl"/>; disposing it closes the context.</summary>
    public async Task<Tab> OpenAsync(Uri baseUrl)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        // Pages answer in milliseconds; the margin is for a machine busy with the other test projects
        // (dotnet test runs them side by side). Waits end as soon as the page is right.
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        return new Tab(await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
