using DagRunner.Web.Pages.Actions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.Web.Tests;

/// <summary>The action forms pages include, rendered as the server renders them: each POSTs to its action's
/// URL with the anti-forgery token and the return URL, and carries the DOM hooks the browser tests use.</summary>
public sealed class ActionFormsTests
{
    private sealed class FixedToken : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("the-token", "__RequestVerificationToken");
    }

    private static async Task<string> RenderAsync<TComponent>(Dictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var services = new ServiceCollection().AddSingleton<AntiforgeryStateProvider, FixedToken>().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }

    [Fact]
    public async Task TaskActions_ClearClearDownstreamMarkSuccessMarkFailed_PostWithTokenBackToTheTaskPage()
    {
        var html = await RenderAsync<TaskActions>(new() { ["DagId"] = "etl", ["RunId"] = "manual__2026-11-20T00:00:00+00:00", ["TaskId"] = "load", ["State"] = "failed" });

        Assert.Contains("action=\"/dags/etl/runs/manual__2026-11-20T00%3A00%3A00%2B00%3A00/tasks/load/clear\"", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/dags/etl/runs/manual__2026-11-20T00%3A00%3A00%2B00%3A00/tasks/load/mark\"", html, StringComparison.Ordinal);
        foreach (var hook in new[] { "clear", "clear-downstream", "mark-success", "mark-failed" })
            Assert.Contains($"data-action=\"{hook}\"", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("name=\"__RequestVerificationToken\" value=\"the-token\"").Length - 1);
        Assert.Contains("name=\"returnUrl\" value=\"/dags/etl/runs/manual__2026-11-20T00%3A00%3A00%2B00%3A00/tasks/load\"", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("method=\"post\"").Length);
    }

    [Fact]
    public async Task RunActions_CarryTheirHooks()
    {
        var run = await RenderAsync<RunActions>(new() { ["DagId"] = "etl", ["RunId"] = "r1", ["ReturnUrl"] = "/dags/etl/grid" });

        Assert.Contains("action=\"/dags/etl/runs/r1/mark\"", run, StringComparison.Ordinal);
        Assert.Contains("data-action=\"mark-run-success\"", run, StringComparison.Ordinal);
        Assert.Contains("data-action=\"mark-run-failed\"", run, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseForm_SharedByTheDagsPagesToggles_CarriesTheTokenAndThePageToComeBackTo()
    {
        var form = await RenderAsync<PauseForm>(new() { ["Id"] = "pause-form", ["ReturnUrl"] = "/dags?tag=team3" });

        Assert.Contains("<form id=\"pause-form\" method=\"post\"", form, StringComparison.Ordinal);
        Assert.Contains("name=\"__RequestVerificationToken\" value=\"the-token\"", form, StringComparison.Ordinal);
        Assert.Contains("name=\"returnUrl\" value=\"/dags?tag=team3\"", form, StringComparison.Ordinal);
    }
}
