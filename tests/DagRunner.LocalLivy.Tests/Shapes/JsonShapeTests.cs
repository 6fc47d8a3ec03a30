using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Shapes;

/// <summary>The shape comparer itself, so a passing shape test means something.</summary>
public sealed class JsonShapeTests
{
    private static IReadOnlyList<string> Diff(string sample, string actual, params string[] allowMissing) =>
        JsonShape.Differences(JsonNode.Parse(sample), JsonNode.Parse(actual), allowMissing);

    [Fact]
    public void SameShape_DifferentValues_AndExtraFields_Match() =>
        Assert.Empty(Diff("""{"a":1,"b":"x","c":true,"d":{"e":[1]},"f":[]}""", """{"a":2.5,"b":"y","c":false,"d":{"e":[7,8],"z":1},"f":[{"q":1}],"extra":null}"""));

    [Fact]
    public void MissingField_IsReported_UnlessAllowed()
    {
        Assert.Equal(["$.d.e: missing in ours"], Diff("""{"d":{"e":1}}""", """{"d":{}}"""));
        Assert.Empty(Diff("""{"d":{"e":1}}""", """{"d":{}}""", "$.d.e"));
    }

    [Fact]
    public void WrongKind_IsReported_IncludingInsideTheFirstArrayElement()
    {
        Assert.Equal(["$.a: the sample has number, ours is string"], Diff("""{"a":1}""", """{"a":"1"}"""));
        Assert.Equal(["$.a[0].b: the sample has bool, ours is number"], Diff("""{"a":[{"b":true}]}""", """{"a":[{"b":0}]}"""));
        Assert.Equal(["$.a: the sample has string, ours is null"], Diff("""{"a":"x"}""", """{"a":null}"""));
        Assert.Equal(["$.a: the sample has items, ours is an empty array (nothing to compare)"], Diff("""{"a":[1]}""", """{"a":[]}"""));
    }

    [Fact]
    public void SampleNull_AcceptsStringOrNull_Only()
    {
        Assert.Empty(Diff("""{"a":null}""", """{"a":"x"}"""));
        Assert.Empty(Diff("""{"a":null}""", """{"a":null}"""));
        Assert.Equal(["$.a: the sample has null (a string or null), ours is number"], Diff("""{"a":null}""", """{"a":3}"""));
    }

    [Fact]
    public void EveryFixture_IsValidJson()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
            Assert.NotNull(JsonShape.Fixture(Path.GetFileName(file)));
    }
}
