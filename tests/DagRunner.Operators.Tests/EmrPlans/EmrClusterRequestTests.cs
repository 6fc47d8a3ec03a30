using System.Text.Json;
using System.Text.Json.Nodes;
using DagRunner.Operators.Emr;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.EmrPlans;

/// <summary>The <c>RunJobFlow</c> request of an <see cref="EmrCreateJobFlowOperator"/>: the rendered template, the
/// typed fields over it, EMR's usual defaults where neither says; and what its preview shows.</summary>
public sealed class EmrClusterRequestTests : IDisposable
{
    private readonly TempFolder _templates = new("emr-cluster");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private TaskTemplates Templates => new(new TemplateLibrary(new TemplateOptions { TemplatesFolder = _templates.Path }));

    private TaskContext Context() => new()
    {
        DagId = "emr_dag",
        TaskId = "create",
        RunId = "manual__2026-11-20T00:00:00+00:00",
        LogicalDate = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
        Params = new Dictionary<string, object?> { ["team"] = "O'Brien \"data\"" },
        Services = new TemplatesOnly(Templates),
    };

    private JsonObject Request(EmrCreateJobFlowOperator task)
    {
        var context = Context();
        return EmrClusterRequest.Build(task, Templates.Render(task, context, Token), context, Token);
    }

    private JsonElement Preview(EmrCreateJobFlowOperator task)
    {
        var preview = TaskPreview.Build(task, Context(), [], Token);
        Assert.NotNull(preview.Request);
        Assert.Equal("RunJobFlow", preview.Request.Title);
        using var document = JsonDocument.Parse(preview.Request.Body);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Build_NoTemplate_TypedFieldsAndDefaults()
    {
        var request = Request(new EmrCreateJobFlowOperator("create") { ReleaseLabel = "emr-7.5.0", InstanceType = "m5.xlarge" });

        Assert.Equal("emr-7.5.0", request["ReleaseLabel"]!.GetValue<string>());
        Assert.Equal(3, request["Instances"]!["InstanceCount"]!.GetValue<int>());
        Assert.StartsWith("dagrunner-emr_dag-create-", request["Name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("EMR_DefaultRole", request["ServiceRole"]!.GetValue<string>());
        Assert.Equal("EMR_EC2_DefaultRole", request["JobFlowRole"]!.GetValue<string>());
        Assert.True(request["Instances"]!["KeepJobFlowAliveWhenNoSteps"]!.GetValue<bool>());
        Assert.Equal("""[{"Name":"Spark"}]""", request["Applications"]!.ToJsonString());
        Assert.Null(request["StepConcurrencyLevel"]);
        var tags = request["Tags"]!.AsArray().ToDictionary(t => t!["Key"]!.GetValue<string>(), t => t!["Value"]!.GetValue<string>());
        Assert.Equal("emr_dag", tags["dagrunner:dag"]);
        Assert.Equal("create", tags["dagrunner:task"]);
        Assert.Equal("manual__2026-11-20T00:00:00+00:00", tags["dagrunner:run"]);
    }

    [Fact]
    public void Build_TemplateSaysIt_DefaultsDoNotOverrideIt()
    {
        _templates.Write("emr/cluster.json", """
            {
              // comments and trailing commas are allowed
              "Name": "nightly",
              "ReleaseLabel": "emr-6.15.0",
              "ServiceRole": "MyServiceRole",
              "JobFlowRole": "MyInstanceProfile",
              "Applications": [{"Name": "Hadoop"}, {"Name": "Spark"}],
              "Instances": {"KeepJobFlowAliveWhenNoSteps": false, "MasterInstanceType": "m5.large", "InstanceCount": 3},
              "Tags": [{"Key": "team", "Value": {{ params.team | lit }}}],
            }
            """);

        var request = Request(new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/cluster.json" });

        Assert.StartsWith("nightly-", request["Name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("emr-6.15.0", request["ReleaseLabel"]!.GetValue<string>());
        Assert.Equal("MyServiceRole", request["ServiceRole"]!.GetValue<string>());
        Assert.Equal("MyInstanceProfile", request["JobFlowRole"]!.GetValue<string>());
        Assert.Equal("""[{"Name":"Hadoop"},{"Name":"Spark"}]""", request["Applications"]!.ToJsonString());
        Assert.False(request["Instances"]!["KeepJobFlowAliveWhenNoSteps"]!.GetValue<bool>());
        Assert.Equal("m5.large", request["Instances"]!["MasterInstanceType"]!.GetValue<string>());
        Assert.Equal(3, request["Instances"]!["InstanceCount"]!.GetValue<int>());
        var tags = request["Tags"]!.AsArray();
        Assert.Equal("O'Brien \"data\"", tags.Single(t => t!["Key"]!.GetValue<string>() == "team")!["Value"]!.GetValue<string>());
        Assert.Contains(tags, t => t!["Key"]!.GetValue<string>() == "dagrunner:dag");
    }

    [Fact]
    public void Build_TypedFields_GoOverTheTemplate()
    {
        _templates.Write("emr/cluster.json", """
            {"Name": "nightly", "ReleaseLabel": "emr-6.15.0", "LogUri": "s3://old/", "ServiceRole": "Old",
             "Applications": [{"Name": "Hadoop"}], "StepConcurrencyLevel": 2,
             "Instances": {"KeepJobFlowAliveWhenNoSteps": true, "MasterInstanceType": "m5.large", "SlaveInstanceType": "m5.large", "InstanceCount": 3}}
            """);
        var task = new EmrCreateJobFlowOperator("create")
        {
            ClusterTemplate = "emr/cluster.json",
            Name = "adhoc-{{ ds }}",
            ReleaseLabel = "emr-7.5.0",
            LogUri = "s3://logs/{{ ds }}/",
            ServiceRole = "NewRole",
            InstanceType = "r5.xlarge",
            InstanceCount = 5,
            StepConcurrencyLevel = 10,
            KeepAlive = false,
            Applications = { "Spark", "Livy" },
            Tags = { ["owner"] = "data-{{ ds_nodash }}" },
        };

        var request = Request(task);

        Assert.StartsWith("adhoc-2026-11-20-", request["Name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("emr-7.5.0", request["ReleaseLabel"]!.GetValue<string>());
        Assert.Equal("s3://logs/2026-11-20/", request["LogUri"]!.GetValue<string>());
        Assert.Equal("NewRole", request["ServiceRole"]!.GetValue<string>());
        Assert.Equal(10, request["StepConcurrencyLevel"]!.GetValue<int>());
        var instances = request["Instances"]!;
        Assert.Equal("r5.xlarge", instances["MasterInstanceType"]!.GetValue<string>());
        Assert.Equal("r5.xlarge", instances["SlaveInstanceType"]!.GetValue<string>());
        Assert.Equal(5, instances["InstanceCount"]!.GetValue<int>());
        Assert.False(instances["KeepJobFlowAliveWhenNoSteps"]!.GetValue<bool>());
        Assert.Equal("""[{"Name":"Spark"},{"Name":"Livy"}]""", request["Applications"]!.ToJsonString());
        Assert.Contains(request["Tags"]!.AsArray(), t => t!["Key"]!.GetValue<string>() == "owner" && t["Value"]!.GetValue<string>() == "data-20261120");
    }

    [Fact]
    public void Build_NoReleaseLabelAnywhere_Refused()
    {
        var error = Assert.Throws<TaskFailedException>(() => Request(new EmrCreateJobFlowOperator("create")));

        Assert.Contains("Task 'create'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no ReleaseLabel", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    [InlineData(-1)]
    public void Build_StepConcurrencyLevelOutOfRange_Refused(int level)
    {
        var error = Assert.Throws<TaskFailedException>(() => Request(new EmrCreateJobFlowOperator("create") { ReleaseLabel = "emr-7.5.0", StepConcurrencyLevel = level }));

        Assert.Contains($"StepConcurrencyLevel {level} is not between 1 and 256", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    public void Build_StepConcurrencyLevelAtTheBounds_Sent(int level) =>
        Assert.Equal(level, Request(new EmrCreateJobFlowOperator("create") { ReleaseLabel = "emr-7.5.0", InstanceType = "m5.xlarge", StepConcurrencyLevel = level })["StepConcurrencyLevel"]!.GetValue<int>());

    [Fact]
    public void Build_TemplateNotValidJson_ErrorNamesTheFile()
    {
        _templates.Write("emr/broken.json", "{\"ReleaseLabel\": \"emr-7.5.0\",\n \"Name\": {{ ds }} }");

        var error = Assert.Throws<TaskFailedException>(() => Request(new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/broken.json" }));

        Assert.Contains("Task 'create'", error.Message, StringComparison.Ordinal);
        Assert.Contains("emr/broken.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TemplateThatIsAnArray_ErrorNamesTheFile()
    {
        _templates.Write("emr/list.json", "[1, 2]");

        var error = Assert.Throws<TaskFailedException>(() => Request(new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/list.json" }));

        Assert.Contains("emr/list.json is not a JSON object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_RunJobFlow_IsTheRequestAsJson()
    {
        _templates.Write("emr/cluster.json", """{"ReleaseLabel": "emr-7.5.0", "Instances": {"MasterInstanceType": "m5.xlarge", "InstanceCount": 2}}""");

        var body = Preview(new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/cluster.json", StepConcurrencyLevel = 4 });

        Assert.Equal("emr-7.5.0", body.GetProperty("ReleaseLabel").GetString());
        Assert.Equal(4, body.GetProperty("StepConcurrencyLevel").GetInt32());
        Assert.Equal(2, body.GetProperty("Instances").GetProperty("InstanceCount").GetInt32());
        Assert.True(body.GetProperty("Instances").GetProperty("KeepJobFlowAliveWhenNoSteps").GetBoolean());
        Assert.Equal("Spark", body.GetProperty("Applications")[0].GetProperty("Name").GetString());
    }

    [Fact]
    public void Preview_TemplateNotValidJson_IsATaskFailure()
    {
        _templates.Write("emr/broken.json", "{ nope");

        var error = Assert.Throws<TaskFailedException>(() => TaskPreview.Build(new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/broken.json" }, Context(), [], Token));

        Assert.Contains("emr/broken.json", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _templates.Dispose();

    private sealed class TemplatesOnly(TaskTemplates templates) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(TaskTemplates) ? templates : null;
    }

    [Theory]
    [InlineData("""{"ReleaseLabel": "emr-7.5.0", "Name": 5}""", "\"Name\" must be a string")]
    [InlineData("""{"ReleaseLabel": "emr-7.5.0", "Instances": []}""", "\"Instances\" must be an object")]
    [InlineData("""{"ReleaseLabel": "emr-7.5.0", "Instances": {"MasterInstanceType": "m5.xlarge"}, "Tags": {"team": "x"}}""", "\"Tags\" must be an array")]
    [InlineData("""{"ReleaseLabel": "emr-7.5.0", "Instances": {"MasterInstanceType": "m5.xlarge"}, "Tags": [{"Value": "x"}]}""", "every item of \"Tags\"")]
    [InlineData("""{"ReleaseLabel": "emr-7.5.0", "Name": "a", "Name": "b"}""", "not valid JSON")]
    [InlineData("""{"ReleaseLabel": "emr-7.5.0"}""", "no machines")]
    [InlineData("""{"ReleaseLabel": 7}""", "\"ReleaseLabel\" must be a string")]
    [InlineData("""{"ReleaseLabel": "emr-7.5.0", "Instances": {"MasterInstanceType": "m5.xlarge", "InstanceCount": "3"}}""", "must be a whole number")]
    [InlineData("""{"ReleaseLabel": "emr-7.5.0", "Instances": {"InstanceGroups": [], "InstanceFleets": []}}""", "both InstanceGroups and InstanceFleets")]
    [InlineData("""{"ReleaseLabel": "emr-7.5.0", "Instances": {"InstanceFleets": [], "MasterInstanceType": "m5.xlarge"}}""", "one way of naming the machines")]
    [InlineData("""{"ReleaseLabel": "emr-7.5.0", "Instances": {"MasterInstanceType": "m5.xlarge"}, "Tags": [{"Key": "a", "Value": 5}]}""", "\"Value\" must be a string")]
    public void Build_TemplateMemberOfTheWrongKind_TaskFailureNamingTheFile(string template, string expected)
    {
        _templates.Write("emr/odd.json", template);

        var error = Assert.Throws<TaskFailedException>(() => Request(new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/odd.json" }));

        Assert.Contains("emr/odd.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TypedMachinesBesideInstanceGroups_Refused()
    {
        _templates.Write("emr/groups.json", """{"ReleaseLabel": "emr-7.5.0", "Instances": {"InstanceGroups": [{"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1}]}}""");

        var error = Assert.Throws<TaskFailedException>(() => Request(new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/groups.json", InstanceType = "m5.xlarge" }));
        var grouped = Request(new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/groups.json" });

        Assert.Contains("InstanceGroups or InstanceFleets", error.Message, StringComparison.Ordinal);
        Assert.Null(grouped["Instances"]!["InstanceCount"]);
    }

    [Fact]
    public void Build_TagsMergedByKey_TaskOverTemplate_DagRunnersOverBoth()
    {
        _templates.Write("emr/tags.json", """{"ReleaseLabel": "emr-7.5.0", "Instances": {"MasterInstanceType": "m5.xlarge"}, "Tags": [{"Key": "team", "Value": "a"}, {"Key": "cost", "Value": "1"}, {"Key": "dagrunner:dag", "Value": "forged"}]}""");
        var task = new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/tags.json" };
        task.Tags["team"] = "b";

        var tags = Request(task)["Tags"]!.AsArray().Select(t => (t!["Key"]!.GetValue<string>(), t["Value"]!.GetValue<string>())).ToList();

        Assert.Equal(tags.Count, tags.Select(t => t.Item1).Distinct().Count());
        Assert.Contains(("team", "b"), tags);
        Assert.Contains(("cost", "1"), tags);
        Assert.Contains(("dagrunner:dag", "emr_dag"), tags);
    }

    [Fact]
    public void Preview_SecretMembersOfTheTemplate_Masked()
    {
        _templates.Write("emr/secret.json", """
            {"ReleaseLabel": "emr-7.5.0", "Instances": {"MasterInstanceType": "m5.xlarge"},
             "KerberosAttributes": {"Realm": "EC2.INTERNAL", "KdcAdminPassword": "kdc-pass-4711"},
             "Configurations": [{"Classification": "core-site", "Properties": {"fs.s3a.secret.key": "s3-secret-0815", "dfs.block.access.token.enable": "false", "fs.s3a.aws.credentials.provider": "com.example.Provider"}}]}
            """);

        var body = Preview(new EmrCreateJobFlowOperator("create") { ClusterTemplate = "emr/secret.json" }).GetRawText();

        Assert.DoesNotContain("kdc-pass-4711", body, StringComparison.Ordinal);
        Assert.DoesNotContain("s3-secret-0815", body, StringComparison.Ordinal);
        Assert.Contains("EC2.INTERNAL", body, StringComparison.Ordinal);
        // Settings about secrets are not secrets: "false" and a class name stay readable in every log after.
        Assert.Contains("\"dfs.block.access.token.enable\": \"false\"", body, StringComparison.Ordinal);
        Assert.Contains("com.example.Provider", body, StringComparison.Ordinal);
    }
}
