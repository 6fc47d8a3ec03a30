using System.Collections.Immutable;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Connections;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Tests.Connections;

/// <summary><c>aws_default</c>'s secrets are registered when the connections are read, before any EMR task asks
/// for them: a shell task that prints its environment shows neither the secret key nor the session token.</summary>
public sealed class AwsConnectionSourceTests
{
    private static DagRunnerSettings Settings(string? awsDefault = null) => new()
    {
        DagsFolder = "dags",
        TemplatesFolder = "templates",
        Home = ".dagrunner",
        Connections = awsDefault is null
            ? ImmutableSortedDictionary<string, string>.Empty
            : ImmutableSortedDictionary<string, string>.Empty.Add("aws_default", awsDefault),
    };

    [Fact]
    public void Constructor_AwsDefaultFromTheEnvironment_SecretAndSessionTokenRegisteredAtOnce()
    {
        var secrets = new SecretMasker();
        var environment = new Dictionary<string, string>
        {
            ["DAGRUNNER_CONN_AWS_DEFAULT"] = "aws://AKIAENVKEY:env%2FSecret%2BKey-W0rd@eu-west-1?session-token=Env-Sess-T0ken&endpoint=http://127.0.0.1:9/",
        };

        _ = new ConnectionSource(Settings(), name => environment.GetValueOrDefault(name), secrets);

        Assert.Equal("*** *** ***", secrets.Mask("env/Secret+Key-W0rd env%2FSecret%2BKey-W0rd Env-Sess-T0ken"));
        Assert.Equal("http://127.0.0.1:9/ AKIAENVKEY", secrets.Mask("http://127.0.0.1:9/ AKIAENVKEY"));
    }

    [Fact]
    public void Constructor_AwsDefaultFromTheSettingsFile_SecretRegisteredAtOnce()
    {
        var secrets = new SecretMasker();

        _ = new ConnectionSource(Settings("aws://AKIAFILEKEY:file-Secret-W0rd@us-east-1"), _ => null, secrets);

        Assert.Equal("key=***", secrets.Mask("key=file-Secret-W0rd"));
    }

    [Fact]
    public void Find_AwsDefault_ParsesAsAnAwsConnection()
    {
        var source = new ConnectionSource(Settings("aws://AKIAFILEKEY:file-Secret-W0rd@us-east-1?endpoint=http://127.0.0.1:9/"), _ => null);

        var connection = source.Find("aws_default");

        Assert.NotNull(connection);
        Assert.Equal("aws", connection.BaseUri.Scheme);
        Assert.Equal("us-east-1", connection.BaseUri.Host);
        Assert.Equal("http://127.0.0.1:9/", connection.Extras["endpoint"]);
    }
}
