using System.Text.Json;
using DagRunner.Operators.Templates;
using DagRunner.Templating.Literals;

namespace DagRunner.Operators.Tests.Templates;

public sealed class SecretMaskTests
{
    private const string Secret = "s3cr+t&x<y \"é\"";

    private static readonly SecretMask Mask = SecretMask.From(
        new Dictionary<string, object?> { ["db_password"] = Secret, ["table"] = "sales" },
        new Dictionary<string, object?> { ["databases"] = JsonDocument.Parse("""[{"name": "a", "api_token": "tok-0001"}]""").RootElement });

    [Theory]
    [InlineData(LiteralLanguage.Python)]
    [InlineData(LiteralLanguage.Scala)]
    [InlineData(LiteralLanguage.R)]
    [InlineData(LiteralLanguage.SparkSql)]
    public void Apply_SecretWrittenByLit_IsMasked(LiteralLanguage language)
    {
        var text = "x = " + Literal.Write(Secret, language);

        Assert.DoesNotContain("s3cr", Mask.Apply(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SecretEscapedInJson_IsMasked()
    {
        var json = JsonSerializer.Serialize(new { args = new[] { "--pw", Secret } });

        Assert.Equal("""{"args":["--pw","***"]}""", Mask.Apply(json));
    }

    [Fact]
    public void Apply_SecretInAMapInsideAList_IsMasked()
    {
        Assert.Equal("GET /api?token=***", Mask.Apply("GET /api?token=tok-0001"));
    }

    [Fact]
    public void Apply_OrdinaryValues_AreLeftAlone()
    {
        Assert.Equal("select * from sales", Mask.Apply("select * from sales"));
    }
}
