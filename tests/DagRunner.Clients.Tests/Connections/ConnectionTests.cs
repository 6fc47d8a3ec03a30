using DagRunner.Clients.Connections;

namespace DagRunner.Clients.Tests.Connections;

public sealed class ConnectionTests
{
    [Fact]
    public void Parse_BasicWithPrefixAndExtras_ReadsEverythingAndMasksThePassword()
    {
        var connection = Connection.Parse("livy_default", "https://alice:s3cr%40t@knox.example.com:8443/gateway/default/livy/v1?header.X-Team=data&queue=etl");

        Assert.Equal(new Uri("https://knox.example.com:8443/gateway/default/livy/v1/"), connection.BaseUri);
        Assert.Equal(ConnectionAuth.Basic, connection.Auth);
        Assert.Equal("alice", connection.UserName);
        Assert.Equal("s3cr@t", connection.Password);
        Assert.Equal("data", connection.Headers["X-Team"]);
        Assert.Equal("etl", connection.Extras["queue"]);
        Assert.Equal("https://alice:***@knox.example.com:8443/gateway/default/livy/v1/", connection.ToString());
        Assert.DoesNotContain("s3cr", connection.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://livy:8998?token=abc", ConnectionAuth.Bearer)]
    [InlineData("http://livy:8998?auth=negotiate", ConnectionAuth.Negotiate)]
    [InlineData("http://livy:8998", ConnectionAuth.None)]
    [InlineData("http://bob@livy:8998", ConnectionAuth.Basic)]
    public void Parse_Auth_FromTheUri(string uri, ConnectionAuth auth) =>
        Assert.Equal(auth, Connection.Parse("c", uri).Auth);

    [Fact]
    public void ToString_Token_IsMasked() =>
        Assert.Equal("http://livy:8998/?token=***", Connection.Parse("c", "http://livy:8998?token=abc").ToString());

    [Theory]
    [InlineData("ftp://u:pw@host/", "is not an http://, https://, ssh://, spark-submit:// or aws:// URI")]
    [InlineData("not a uri", "is not an http://, https://, ssh://, spark-submit:// or aws:// URI")]
    [InlineData("http://host?auth=magic", "unknown auth 'magic'")]
    [InlineData("http://host?auth=bearer", "needs a token")]
    [InlineData("http://host?insecure=maybe", "insecure must be true or false")]
    public void Parse_Malformed_ClearErrorWithoutThePassword(string uri, string reason)
    {
        var error = Assert.Throws<ConnectionException>(() => Connection.Parse("yarn_default", uri));

        Assert.Contains("yarn_default", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":pw@", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("livy://alice:p@ss@livy:8998/x", "livy://alice:***@livy:8998/x")]
    [InlineData("livy://livy:8998?token=abc123secret&queue=etl", "livy://livy:8998?token=***&queue=etl")]
    [InlineData("livy://livy:8998?header.Authorization=Bearer%20xyz", "livy://livy:8998?header.Authorization=***")]
    public void MaskUri_PasswordsTokensAndHeaders_Masked(string uri, string masked) =>
        Assert.Equal(masked, Connection.MaskUri(uri));

    [Theory]
    [InlineData("http://alice:pa#ss-W0rd@livy:8998", "holds a '#'", "%23")]
    [InlineData("http://alice:12#ss-W0rd@livy:8998", "holds a '#'", "%23")]
    [InlineData("http://alice:pa/ss-W0rd@livy:8998", "holds a '/'", "%2F")]
    [InlineData("http://alice:12/ss-W0rd@livy:8998/gateway", "holds a '/'", "%2F")]
    [InlineData("http://alice:12?ss-W0rd@livy:8998", "holds a '?'", "%3F")]
    [InlineData("https//alice:pass-W0rd@livy:8998", "'https' is not followed by '://' (a ':' is missing)", "")]
    [InlineData("https:/alice:pass-W0rd@livy:8998", "'https' is not followed by '://'", "")]
    [InlineData("alice:pass-W0rd@livy:8998", "no scheme", "")]
    [InlineData("http://livy:8998/?token=tok#en-W0rd", "holds a '#'", "%23")]
    public void Parse_ReservedCharacterInPasswordOrBrokenScheme_ErrorNamesThePartWithoutThePassword(string uri, string reason, string hint)
    {
        var error = Assert.Throws<ConnectionException>(() => Connection.Parse("livy_default", uri));

        Assert.Contains("Connection 'livy_default'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("W0rd", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ss-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PercentEncodedReservedCharacters_Accepted()
    {
        var connection = Connection.Parse("livy_default", "http://alice:pa%23s%2Fs%3F%40@livy:8998?user.name=bob@corp");

        Assert.Equal("pa#s/s?@", connection.Password);
        Assert.Equal("livy", connection.BaseUri.Host);
        Assert.Equal("bob@corp", connection.HadoopUser);
    }

    [Theory]
    [InlineData("http://alice:pa#ss-W0rd@livy:8998", "pa#ss-W0rd")]
    [InlineData("http://alice:pa%23ss-W0rd@livy:8998", "pa#ss-W0rd")]
    [InlineData("http://livy:8998?token=tok-W0rd-1&queue=etl", "tok-W0rd-1")]
    [InlineData("http://livy:8998?header.Authorization=Bearer%20tok-W0rd-2", "Bearer tok-W0rd-2")]
    public void SecretsOf_ParsedOrNot_HoldsThePasswordAndTokens(string uri, string secret) =>
        Assert.Contains(secret, Connection.SecretsOf(uri));

    [Fact]
    public void SecretsOf_OrdinaryHeader_IsNotASecret() =>
        Assert.Empty(Connection.SecretsOf("http://livy:8998?header.X-Team=analytics&queue=etl"));
}
