using System.Text.RegularExpressions;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>The C# examples in the README compile and load, so the documentation cannot drift from the SDK.</summary>
public sealed partial class ReadmeExamplesTests : IDisposable
{
    private readonly TempFolder _project = new("dagrunner-readme");

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task ReadmeCSharpBlocks_LoadWithoutImportErrors()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(DagRunnerProcess.RepositoryRoot, "README.md"), TestContext.Current.CancellationToken);
        var blocks = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(blocks);
        for (var i = 0; i < blocks.Count; i++)
        {
            _project.Write($"dags/readme_{i}.csx", blocks[i]);
        }

        var (exit, output, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "errors");

        Assert.True(exit == 0, output + error);
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
