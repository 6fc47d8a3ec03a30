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
    [InlineData("ftp://u:pw@host/", "is not an http:// or https:// URI")]
    [InlineData("not a uri", "is not an http:// or https:// URI")]
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
}
