namespace DagRunner.Web.BrowserTests;

/// <summary>The tests that share one <see cref="ExampleProject"/> (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ExamplesShared : ICollectionFixture<ExampleProject>
{
    public const string Name = "examples";
}
