using DagRunner.Clients.Connections;
using DagRunner.Clients.Emr;
using DagRunner.Clients.Tests.Emr;

namespace DagRunner.Clients.Tests.Connections;

public sealed class AwsConnectionTests
{
    private static EmrOptions Options(string uri) =>
        EmrConnection.Options(Connection.Parse("aws_default", uri), TimeProvider.System);

    [Fact]
    public void Options_RegionOnly_NoCredentialsAndTheRegionalEndpoint()
    {
        var options = Options("aws://eu-west-1");

        Assert.Equal("eu-west-1", options.Region);
        Assert.Null(options.Credentials);
        Assert.Null(options.Endpoint);
        Assert.Equal("elasticmapreduce.eu-west-1.amazonaws.com", options.ResolvedEndpoint.Host);
    }

    [Fact]
    public void Options_KeysFromUserAndPassword_SecretPercentDecoded()
    {
        var options = Options("aws://AKIAEXAMPLE:ab%2Fcd%2Bef-S3cret@us-east-1");

        Assert.Equal("us-east-1", options.Region);
        var credentials = Assert.IsType<EmrCredentials>(options.Credentials);
        Assert.Equal("AKIAEXAMPLE", credentials.AccessKeyId);
        Assert.Equal("ab/cd+ef-S3cret", credentials.SecretAccessKey);
        Assert.Null(credentials.SessionToken);
    }

    [Fact]
    public void Options_SessionTokenAndEndpoint_Read()
    {
        var options = Options("aws://AKIAEXAMPLE:S3cret@eu-central-1?session-token=T0ken-Value&endpoint=http://127.0.0.1:8998/emr/");

        Assert.Equal("T0ken-Value", options.Credentials?.SessionToken);
        Assert.Equal(new Uri("http://127.0.0.1:8998/emr/"), options.Endpoint);
        Assert.Equal(new Uri("http://127.0.0.1:8998/emr/"), options.ResolvedEndpoint);
        Assert.Equal(TimeProvider.System, options.TimeProvider);
    }

    [Fact]
    public void Options_TheGivenClock_Kept()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);

        var options = EmrConnection.Options(Connection.Parse("aws_default", "aws://eu-west-1"), clock);

        Assert.Same(clock, options.TimeProvider);
    }

    [Theory]
    [InlineData("aws://AKIAEXAMPLE@eu-west-1", "AKIAEXAMPLE is given without its secret")]
    [InlineData("aws://AKIAEXAMPLE:@eu-west-1", "AKIAEXAMPLE is given without its secret")]
    [InlineData("aws://eu-west-1?session-token=Tok-W0rd-1", "a session-token is given without the access key id")]
    [InlineData("aws://AKIAEXAMPLE:pass-W0rd@eu-west-1?endpoint=ftp://host/", "endpoint 'ftp://host/' is not an absolute http(s) URL")]
    [InlineData("aws://AKIAEXAMPLE:pass-W0rd@eu-west-1?endpoint=not-a-url", "endpoint 'not-a-url' is not an absolute http(s) URL")]
    [InlineData("https://AKIAEXAMPLE:pass-W0rd@emr.example.com", "is a https:// connection; EMR needs aws://REGION")]
    public void Options_PartsThatDoNotFit_ClearErrorWithoutTheSecret(string uri, string reason)
    {
        var error = Assert.Throws<ConnectionException>(() => Options(uri));

        Assert.Contains("aws_default", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("W0rd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AwsScheme_Accepted()
    {
        var connection = Connection.Parse("aws_default", "aws://us-west-2");

        Assert.Equal("aws", connection.BaseUri.Scheme);
        Assert.Equal("us-west-2", connection.BaseUri.Host);
        Assert.False(connection.IsHttp);
    }

    [Fact]
    public void ToString_KeysAndSessionToken_SecretAndTokenNeverShown()
    {
        var connection = Connection.Parse("aws_default", "aws://AKIAEXAMPLE:ab%2Fcd-S3cret@us-east-1?session-token=Sess-T0ken&endpoint=http://127.0.0.1:8998/emr/");

        var text = connection.ToString();

        Assert.StartsWith("aws://AKIAEXAMPLE:***@us-east-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ab%2Fcd", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sess-T0ken", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskUri_SecretAndSessionToken_MaskedButTheEndpointVisible() =>
        Assert.Equal(
            "aws://AKIAEXAMPLE:***@us-east-1?session-token=***&endpoint=http://127.0.0.1:8998/emr/",
            Connection.MaskUri("aws://AKIAEXAMPLE:my-S3cret@us-east-1?session-token=Sess-T0ken&endpoint=http://127.0.0.1:8998/emr/"));

    [Fact]
    public void MaskUri_SecretWordInThePasswordBeforeTheQuery_DoesNotSwallowTheEndpoint() =>
        // The password holds "secret": the name of a secret extra may not span the '?' from the user info to
        // the first extra, or the endpoint would be taken for that extra's secret value.
        Assert.Equal("aws://key:***@us-east-1?endpoint=http://x", Connection.MaskUri("aws://key:mysecret@us-east-1?endpoint=http://x"));

    [Fact]
    public void SecretsOf_AwsUri_HoldsTheSecretAndSessionTokenButNotTheEndpoint()
    {
        var secrets = Connection.SecretsOf("aws://AKIAEXAMPLE:ab%2Fcd%2Bef-S3cret@us-east-1?session-token=Sess-T0ken&endpoint=http://127.0.0.1:8998/emr/");

        Assert.Contains("ab%2Fcd%2Bef-S3cret", secrets);
        Assert.Contains("ab/cd+ef-S3cret", secrets);
        Assert.Contains("Sess-T0ken", secrets);
        Assert.DoesNotContain(secrets, s => s.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain("AKIAEXAMPLE", secrets);
    }

    [Fact]
    public void SecretsOf_SecretWordInThePassword_EndpointIsNotASecret()
    {
        var secrets = Connection.SecretsOf("aws://key:mysecret@us-east-1?endpoint=http://x");

        Assert.Contains("mysecret", secrets);
        Assert.DoesNotContain("http://x", secrets);
    }
}
