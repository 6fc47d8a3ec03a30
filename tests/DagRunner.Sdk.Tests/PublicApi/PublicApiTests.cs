using System.Reflection;
using PublicApiGenerator;

namespace DagRunner.Sdk.Tests.PublicApi;

/// <summary>
/// What DAG files compile against must not change by accident: the SDK's public surface is compared
/// with the approved text in <c>DagRunner.Sdk.approved.txt</c>, committed beside this file. An intended
/// change is accepted by running this test with <see cref="AcceptVariable"/>=1, which rewrites the
/// approved file; the change is then reviewed in the commit's diff.
/// </summary>
public sealed class PublicApiTests
{
    /// <summary>Set to 1 to rewrite the approved file with the current surface instead of comparing.</summary>
    public const string AcceptVariable = "DAGRUNNER_ACCEPT_API";

    private const string AcceptCommand = $"{AcceptVariable}=1 dotnet test tests/DagRunner.Sdk.Tests --filter FullyQualifiedName~PublicApiTests";

    [Fact]
    public void Sdk_PublicApi_MatchesTheApprovedFile()
    {
        var actual = Generate();
        var approvedFile = Path.Combine(Folder(), "DagRunner.Sdk.approved.txt");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(approvedFile, actual);
            return;
        }

        var approved = File.Exists(approvedFile) ? File.ReadAllText(approvedFile).ReplaceLineEndings("\n") : string.Empty;
        if (approved == actual)
            return;
        Assert.Fail(
            $"The public API of DagRunner.Sdk (what DAG files compile against) is not the approved one in {approvedFile}.\n" +
            $"- approved, + now:\n{LineDiff.Describe(approved, actual)}\n" +
            $"If the change is intended, accept it and commit the approved file with the change:\n  {AcceptCommand}");
    }

    [Fact]
    public void LineDiff_ChangedLine_ShowsItRemovedAndAddedWithContext()
    {
        var diff = LineDiff.Describe("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nE\nf\ng\nh\n");

        Assert.Equal("@@ line 5\n  c\n  d\n- e\n+ E\n  f\n  g", diff);
    }

    // Attributes of the assembly (InternalsVisibleTo, the target framework) are no part of what a DAG file sees.
    private static string Generate() =>
        typeof(Dag).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n");

    private static string Folder() => Path.Combine(
        typeof(PublicApiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!,
        "PublicApi");
}
