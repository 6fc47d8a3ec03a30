using System.Net.Http.Headers;
using System.Text;
using DagRunner.LocalLivy.Tests.Batches;

namespace DagRunner.LocalLivy.Tests.Server;

/// <summary>Livy's CSRF filter (reference §3.1, §1.2): writes without <c>X-Requested-By</c> get
/// Jetty's HTML 400 page; reads do not need the header. And the security headers (§1.1).</summary>
public sealed class CsrfTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Post_WithoutRequestedByHeader_Answers400HtmlPageAndCreatesNothing()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("a.py", "pass\n");
        using var raw = BatchKit.RawClient(livy);

        using var response = await raw.PostAsync("/batches", Json("{\"file\":\"local:///a.py\"}"), BatchKit.Token);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync(BatchKit.Token);
        Assert.Contains("Missing Required Header for CSRF protection.", page, StringComparison.Ordinal);
        Assert.Equal(0, (int)(await livy.GetJsonAsync("/batches"))["total"]!);
        // The refused POST did not consume an id either: it never reached Livy's servlet.
        Assert.Equal(0, await livy.CreateBatchAsync(new { file = "local:///a.py" }));
    }

    [Fact]
    public async Task Get_WithoutRequestedByHeader_IsAnswered()
    {
        await using var livy = await LivyTestServer.StartAsync();
        using var raw = BatchKit.RawClient(livy);

        using var response = await raw.GetAsync("/batches", BatchKit.Token);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Delete_WithoutRequestedByHeader_Answers400AndKeepsTheBatch()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.RunBatchToEndAsync("a.py", "pass\n", "success");
        using var raw = BatchKit.RawClient(livy);

        using var response = await raw.DeleteAsync($"/batches/{id}", BatchKit.Token);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Missing Required Header for CSRF protection.", await response.Content.ReadAsStringAsync(BatchKit.Token), StringComparison.Ordinal);
        Assert.Equal("success", (string?)(await livy.GetJsonAsync($"/batches/{id}"))["state"]);
    }

    [Theory]
    [InlineData("livy")]
    [InlineData("")]
    public async Task Post_WithAnyRequestedByValue_IsAccepted(string value)
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("a.py", "pass\n");
        using var raw = BatchKit.RawClient(livy);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/batches") { Content = Json("{\"file\":\"local:///a.py\"}") };
        request.Headers.TryAddWithoutValidation("X-Requested-By", value);

        using var response = await raw.SendAsync(request, BatchKit.Token);

        Assert.Equal(201, (int)response.StatusCode);
    }

    [Fact]
    public async Task Post_CsrfProtectionOff_IsAcceptedWithoutHeader()
    {
        await using var livy = await LivyTestServer.StartAsync(o => o.CsrfProtection = false);
        livy.Jobs.Write("a.py", "pass\n");
        using var raw = BatchKit.RawClient(livy);

        using var response = await raw.PostAsync("/batches", Json("{\"file\":\"local:///a.py\"}"), BatchKit.Token);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal("/batches/0", response.Headers.Location?.OriginalString);
        using var delete = await raw.DeleteAsync("/batches/0", BatchKit.Token);
        Assert.Equal(200, (int)delete.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/batches")]
    [InlineData("GET", "/batches/42")]
    [InlineData("POST", "/batches")]
    [InlineData("GET", "/sessions")]
    public async Task LivyAnswers_CarrySecurityHeaders(string method, string path)
    {
        await using var livy = await LivyTestServer.StartAsync();
        using var raw = BatchKit.RawClient(livy);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (method == "POST")
            request.Content = Json("{}");

        using var response = await raw.SendAsync(request, BatchKit.Token);

        Assert.Equal(["SAMEORIGIN"], response.Headers.GetValues("X-Frame-Options"));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }
}
