using Microsoft.Playwright;

namespace DagRunner.Web.BrowserTests;

/// <summary>How the tests launch a browser: Debian's Chromium through Playwright's executable-path
/// option (the browser Playwright would download is not reachable here), headless, with its calls to
/// the internet turned off (the machine has none; without the flags Chromium keeps retrying them).</summary>
internal static class Chromium
{
    /// <summary>Where Debian's <c>chromium</c> package puts the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>What to do when it is missing (printed by .ci/run too).</summary>
    public const string Missing = "the browser tests need Debian's chromium package at /usr/bin/chromium: apt-get install -y chromium";

    public static BrowserTypeLaunchOptions LaunchOptions() => new()
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        ],
        Timeout = 60_000,
    };
}
