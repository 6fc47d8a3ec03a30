using DagRunner.Clients.Http;
using DagRunner.Hosting.Configuration;
using DagRunner.Operators.Remote;
using DagRunner.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DagRunner.Hosting.Tests.Configuration;

/// <summary><c>dagrunner.json</c>'s <c>clients</c> section: how the remote clients wait and retry.</summary>
public sealed class ClientSettingsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Clients_NotInTheFile_AreTheClientsDefaults()
    {
        using var project = new SettingsProject();

        Assert.Equal(new ClientOptions(), project.Load().Clients);
    }

    [Fact]
    public void Clients_FromTheFile_AreTheClientsOptions()
    {
        using var project = new SettingsProject();
        project.WriteSettings("""
            { "clients": { "requestTimeoutSeconds": 90, "maxRetries": 3, "retryDelaySeconds": 0.25,
                           "maxRetryDelaySeconds": 30, "retryBudgetSeconds": 600, "requestedBy": "etl-team" } }
            """);

        var clients = project.Load().Clients;

        Assert.Equal(
            new ClientOptions
            {
                RequestTimeout = TimeSpan.FromSeconds(90), MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(250),
                MaxRetryDelay = TimeSpan.FromSeconds(30), RetryBudget = TimeSpan.FromMinutes(10), RequestedBy = "etl-team",
            },
            clients);
    }

    [Theory]
    [InlineData("""{ "requestTimeoutSeconds": 0 }""", "clients.requestTimeoutSeconds: 0 is not a number of seconds from 0.01 to 86400.")]
    [InlineData("""{ "requestTimeoutSeconds": "60" }""", "clients.requestTimeoutSeconds: \"60\" is not a number of seconds from 0.01 to 86400.")]
    [InlineData("""{ "retryDelaySeconds": -1 }""", "clients.retryDelaySeconds: -1 is not a number of seconds from 0.01 to 86400.")]
    [InlineData("""{ "maxRetryDelaySeconds": 86401 }""", "clients.maxRetryDelaySeconds: 86401 is not a number of seconds from 0.01 to 86400.")]
    [InlineData("""{ "retryBudgetSeconds": 0.001 }""", "clients.retryBudgetSeconds: 0.001 is not a number of seconds from 0.01 to 86400.")]
    [InlineData("""{ "maxRetries": 0 }""", "clients.maxRetries: 0 is not a whole number from 1 to 100.")]
    [InlineData("""{ "maxRetries": 2.5 }""", "clients.maxRetries: 2.5 is not a whole number from 1 to 100.")]
    [InlineData("""{ "maxRetries": 101 }""", "clients.maxRetries: 101 is not a whole number from 1 to 100.")]
    [InlineData("""{ "requestedBy": "" }""", "clients.requestedBy: \"\" is not a header value (1 to 200 printable ASCII characters).")]
    [InlineData("""{ "requestedBy": "a\nb" }""", "clients.requestedBy: \"a\\nb\" is not a header value (1 to 200 printable ASCII characters).")]
    [InlineData("""{ "requestedBy": 5 }""", "clients.requestedBy: 5 is not a header value (1 to 200 printable ASCII characters).")]
    [InlineData("""{ "timeout": 5 }""",
        "unknown client setting 'timeout'; the client settings are requestTimeoutSeconds, maxRetries, retryDelaySeconds, maxRetryDelaySeconds, retryBudgetSeconds, requestedBy.")]
    public void Clients_BadValue_NamesTheFileAndKey(string clients, string message)
    {
        using var project = new SettingsProject();
        project.WriteSettings($$"""{ "clients": {{clients}} }""");

        Assert.Equal($"{project.SettingsFile}: {message}", project.Error());
    }

    [Fact]
    public void Clients_NotAnObject_Refused()
    {
        using var project = new SettingsProject();
        project.WriteSettings("""{ "clients": 60 }""");

        Assert.Equal($"{project.SettingsFile}: 'clients' must be an object of client settings, e.g. {{\"requestTimeoutSeconds\": 120}}.", project.Error());
    }

    [Fact]
    public void Clients_FirstDelayAboveTheLongest_Refused()
    {
        using var project = new SettingsProject();
        project.WriteSettings("""{ "clients": { "retryDelaySeconds": 20 } }""");

        Assert.Equal(
            "clients.retryDelaySeconds (20) is more than clients.maxRetryDelaySeconds (15); the first retry delay cannot exceed the longest.",
            project.Error());
    }

    [Fact]
    public void Clients_SetInCode_OutOfRange_Refused()
    {
        using var project = new SettingsProject();
        using var services = new ServiceCollection()
            .AddDagRunnerConfiguration(new SettingsOverrides(), _ => null, project.Path)
            .Configure<DagRunnerOptions>(options => options.Clients.MaxRetries = 0)
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DagRunnerOptions>>().Value);

        Assert.Equal("clients.maxRetries: 0 is not a whole number from 1 to 100.", error.Message);
    }

    [Fact]
    public async Task Clients_RequestTimeoutFromTheFile_IsWhatTheClientsWaitFor()
    {
        await using var silent = new SilentServer();
        using var project = new SettingsProject();
        project.WriteSettings($$"""
            { "connections": { "warehouse": "{{silent.BaseUrl}}" },
              "clients": { "requestTimeoutSeconds": 0.3, "requestedBy": "etl-team" } }
            """);
        var settings = project.Load();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddDagRunner(settings, _ => null)
            .AddSingleton<TimeProvider>(time)
            .BuildServiceProvider();
        var clients = services.GetRequiredService<RemoteClients>();

        var error = await Assert.ThrowsAsync<RemoteApiException>(() =>
            clients.Http("warehouse").CallAsync(HttpMethod.Post, "jobs", "{}", new Dictionary<string, string>(), Token));

        Assert.Contains("got no answer within 0.3 s (ClientOptions.RequestTimeout)", error.Message, StringComparison.Ordinal);
        Assert.Equal(("etl-team", time), (clients.Options.RequestedBy, clients.Options.TimeProvider));
    }
}
