using System.Collections.Immutable;
using DagRunner.Clients.Connections;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Connections;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Tests.Connections;

public sealed class ConnectionSourceTests
{
    private static readonly DagRunnerSettings Settings = new()
    {
        DagsFolder = "dags",
        TemplatesFolder = "templates",
        Home = ".dagrunner",
        Connections = ImmutableSortedDictionary<string, string>.Empty
            .Add("warehouse", "https://etl:file-Pa55word@warehouse.example:443?token=file-T0ken-1"),
    };

    [Fact]
    public void Constructor_ConfiguredAndDefaultConnections_SecretsRegisteredBeforeAnyUse()
    {
        var secrets = new SecretMasker();
        var environment = new Dictionary<string, string> { ["DAGRUNNER_CONN_LIVY_DEFAULT"] = "http://alice:env-Pa55%2Fword@livy:8998" };

        _ = new ConnectionSource(Settings, name => environment.GetValueOrDefault(name), secrets);

        // A shell task that prints its environment or the settings file shows none of them.
        Assert.Equal("*** *** *** ***", secrets.Mask("file-Pa55word file-T0ken-1 env-Pa55/word env-Pa55%2Fword"));
    }

    [Fact]
    public void Find_MalformedUri_ErrorMaskedAndItsPasswordRegistered()
    {
        var secrets = new SecretMasker();
        var environment = new Dictionary<string, string> { ["DAGRUNNER_CONN_BAD"] = "http://alice:bad#Pa55word@livy:8998" };
        var source = new ConnectionSource(Settings, name => environment.GetValueOrDefault(name), secrets);

        var error = Assert.Throws<ConnectionException>(() => source.Find("bad"));

        Assert.DoesNotContain("Pa55word", error.Message, StringComparison.Ordinal);
        Assert.Equal("***", secrets.Mask("bad#Pa55word"));
    }
}
