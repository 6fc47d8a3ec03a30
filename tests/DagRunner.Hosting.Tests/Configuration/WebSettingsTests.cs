using DagRunner.Hosting.Configuration;

namespace DagRunner.Hosting.Tests.Configuration;

/// <summary><c>dagrunner.json</c>'s <c>web</c> section and the password hashes it holds.</summary>
public sealed class WebSettingsTests
{
    private static readonly string Hash = WebPasswordHash.Hash("s3cret!", WebPasswordHash.MinIterations);

    [Fact]
    public void Web_NotInTheFile_IsLoopback8080WithoutUsers()
    {
        using var project = new SettingsProject();

        var web = project.Load().Web;

        Assert.Equal(("127.0.0.1", 8080, TimeSpan.FromHours(8)), (web.Host, web.Port, web.SessionIdle));
        Assert.Empty(web.Users);
    }

    [Fact]
    public void Web_FromTheFileAndTheEnvironment_TheEnvironmentWins()
    {
        using var project = new SettingsProject();
        project.WriteSettings($$"""
            { "web": { "host": "0.0.0.0", "port": 9000, "sessionMinutes": 60,
                       "users": [ { "name": "ana", "passwordHash": "{{Hash}}" } ] } }
            """);
        project.Environment["DAGRUNNER_WEB_PORT"] = "9100";

        var web = project.Load().Web;

        Assert.Equal(("0.0.0.0", 9100, TimeSpan.FromHours(1)), (web.Host, web.Port, web.SessionIdle));
        var user = Assert.Single(web.Users);
        Assert.Equal("ana", user.Name);
        Assert.True(WebPasswordHash.Verify("s3cret!", user.PasswordHash));
    }

    [Fact]
    public void Web_PlainTextPassword_IsRefusedSayingHowToHashItWithoutQuotingIt()
    {
        using var project = new SettingsProject();
        project.WriteSettings("""{ "web": { "users": [ { "name": "ana", "password": "hunter2" } ] } }""");

        var error = project.Error();

        Assert.StartsWith($"{project.SettingsFile}: web.users[0] ('ana'): a plain-text \"password\" is refused", error, StringComparison.Ordinal);
        Assert.Contains("dagrunner web hash-password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Web_PasswordInThePasswordHashField_IsRefusedWithoutQuotingIt()
    {
        using var project = new SettingsProject();
        project.WriteSettings("""{ "web": { "users": [ { "name": "ana", "passwordHash": "hunter2" } ] } }""");

        var error = project.Error();

        Assert.StartsWith($"{project.SettingsFile}: web.users[0] ('ana').passwordHash: it is not a password hash", error, StringComparison.Ordinal);
        Assert.Contains("dagrunner web hash-password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "port": 70000 }""", "web.port: 70000 is not a port (a whole number from 0 to 65535; 0 picks a free one).")]
    [InlineData("""{ "port": "80" }""", "web.port: \"80\" is not a port (a whole number from 0 to 65535; 0 picks a free one).")]
    [InlineData("""{ "host": 5 }""", "web.host: 5 is not a string such as \"127.0.0.1\".")]
    [InlineData("""{ "sessionMinutes": 0 }""", "web.sessionMinutes: 0 is not a number of minutes from 1 to 43200 (30 days).")]
    [InlineData("""{ "user": [] }""", "unknown web setting 'user'; the web settings are host, port, sessionMinutes, users.")]
    [InlineData("""{ "users": [ { "name": "" } ] }""", "web.users[0].name: a user's name must be 1 to 100 characters without spaces or control characters.")]
    public void Web_BadValue_NamesTheFileAndKey(string web, string message)
    {
        using var project = new SettingsProject();
        project.WriteSettings($$"""{ "web": {{web}} }""");

        Assert.Equal($"{project.SettingsFile}: {message}", project.Error());
    }

    [Fact]
    public void Web_SameUserTwice_IsRefused()
    {
        using var project = new SettingsProject();
        project.WriteSettings($$"""{ "web": { "users": [ { "name": "ana", "passwordHash": "{{Hash}}" }, { "name": "ANA", "passwordHash": "{{Hash}}" } ] } }""");

        Assert.Equal($"{project.SettingsFile}: web.users[1] ('ANA'): the user is given twice (names are compared ignoring case).", project.Error());
    }

    [Fact]
    public void Web_BadPortInTheEnvironment_NamesTheVariable()
    {
        using var project = new SettingsProject();
        project.Environment["DAGRUNNER_WEB_PORT"] = "http";

        Assert.Equal("environment variable DAGRUNNER_WEB_PORT: 'http' is not a port (a whole number from 0 to 65535; 0 picks a free one).", project.Error());
    }

    [Fact]
    public void PasswordHash_RoundTrip_VerifiesTheRightPasswordOnly()
    {
        var hash = WebPasswordHash.Hash("correct horse", WebPasswordHash.MinIterations);
        var again = WebPasswordHash.Hash("correct horse", WebPasswordHash.MinIterations);

        Assert.StartsWith("pbkdf2-sha256$10000$", hash, StringComparison.Ordinal);
        Assert.NotEqual(hash, again); // a fresh salt each time
        Assert.Null(WebPasswordHash.Problem(hash));
        Assert.True(WebPasswordHash.Verify("correct horse", hash));
        Assert.False(WebPasswordHash.Verify("correct horse!", hash));
        Assert.False(WebPasswordHash.Verify("correct horse", "pbkdf2-sha256$10000$bad$bad"));
    }
}
