using System.Collections.Immutable;
using DagRunner.Clients.Connections;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Connections;
using DagRunner.Engine.Execution;
using DagRunner.Sdk;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public void Constructor_ConnectionOnlyInTheProcessEnvironment_UnderAnyId_SecretRegistered()
    {
        // Tasks inherit the process's environment: a connection no DAG names still shows if a task prints it.
        const string Name = "DAGRUNNER_CONN_PROBE_ONLY_IN_ENV";
        Environment.SetEnvironmentVariable(Name, "http://dave:envOnly-Pa55@127.0.0.1:9/");
        try
        {
            var secrets = new SecretMasker();

            _ = new ConnectionSource(Settings, _ => null, secrets);

            Assert.Equal("my=http://dave:***@127.0.0.1:9/", secrets.Mask("my=http://dave:envOnly-Pa55@127.0.0.1:9/"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Name, null);
        }
    }

    [Fact]
    public void AddDagRunner_ExecutorOptionsResolved_ConnectionSecretsAlreadyMasked()
    {
        // A DAG of shell tasks never asks for a connection; its output must be masked all the same.
        var environment = new Dictionary<string, string> { ["DAGRUNNER_CONN_HTTP_DEFAULT"] = "http://carol:HttpDef-Pa55@127.0.0.1:9/" };
        using var services = new ServiceCollection().AddLogging().AddDagRunner(Settings, name => environment.GetValueOrDefault(name)).BuildServiceProvider();

        var options = services.GetRequiredService<ExecutorOptions>();

        Assert.Equal("h=http://carol:***@127.0.0.1:9/", options.Secrets.Mask("h=http://carol:HttpDef-Pa55@127.0.0.1:9/"));
    }
}
