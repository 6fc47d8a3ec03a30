namespace DagRunner.Web.BrowserTests;

/// <summary>The UI's first answer compiles the DAG files in process (Roslyn) and the pages' code; on a
/// busy machine that takes longer than a page's timeout should allow. Fixtures wait for it once.</summary>
internal static class WarmUp
{
    public static async Task UntilServingAsync(Uri url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(3) };
        using var dags = await http.GetAsync(new Uri("api/dags", UriKind.Relative), cancellationToken);
        dags.EnsureSuccessStatusCode();
        using var page = await http.GetAsync(new Uri(WebRoutes.Dags().TrimStart('/'), UriKind.Relative), cancellationToken);
    }
}
