using System.Numerics;
using System.Text.Json;
using DagRunner.Templating.Literals;
using DagRunner.Testing;

namespace DagRunner.Templating.Tests.Literals;

/// <summary><c>lit</c> in JSON: every literal parses with System.Text.Json back to the value written.</summary>
public sealed class JsonLiteralTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static JsonElement Parsed(object? value)
    {
        using var document = JsonDocument.Parse(Literal.Write(value, LiteralLanguage.Json));
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("O'Brien \"Ltd\"")]
    [InlineData(@"C:\temp\new\x")]
    [InlineData("line one\nline two\r\n\ttabbed")]
    [InlineData("café, Zürich, 東京, \U0001F600")]
    [InlineData("</script><!-- & -->")]
    [InlineData("\u0000\u001f\u2028\u2029\u200b")]
    [InlineData("{{ ds }} ${HOME} $x")]
    public void Write_String_RoundTripsThroughJsonParsing(string value)
    {
        var element = Parsed(value);

        Assert.Equal(JsonValueKind.String, element.ValueKind);
        Assert.Equal(value, element.GetString());
    }

    [Fact]
    public void Write_StringWithQuotesAndBackslashes_IsOneJsonString()
    {
        var literal = Literal.Write("a\"b\\c", LiteralLanguage.Json);

        Assert.Equal("\"a\\\"b\\\\c\"", literal);
    }

    // JSON's escapes only: a timestamp's '+' and non-ASCII text stay as written (the HTML-safe default would write \u002B).
    [Fact]
    public void Write_PlusAndNonAscii_WrittenAsThemselves()
    {
        Assert.Equal("\"2026-11-20T00:00:00+01:00 café\"", Literal.Write("2026-11-20T00:00:00+01:00 café", LiteralLanguage.Json));
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    [InlineData(null, "null")]
    [InlineData(42, "42")]
    [InlineData(-7L, "-7")]
    [InlineData(1.5, "1.5")]
    [InlineData(2.0, "2.0")]
    [InlineData(1e300, "1E+300")]
    public void Write_Scalars_AreJsonLiterals(object? value, string literal) =>
        Assert.Equal(literal, Literal.Write(value, LiteralLanguage.Json));

    [Fact]
    public void Write_Numbers_ParseBackToTheSameNumbers()
    {
        var big = BigInteger.Pow(10, 30) + 7;

        Assert.Equal(long.MaxValue, Parsed(long.MaxValue).GetInt64());
        Assert.Equal(0.1 + 0.2, Parsed(0.1 + 0.2).GetDouble());
        Assert.Equal(1.50m, Parsed(1.50m).GetDecimal());
        Assert.Equal("1.50", Literal.Write(1.50m, LiteralLanguage.Json));
        Assert.Equal(big.ToString(System.Globalization.CultureInfo.InvariantCulture), Parsed(big).GetRawText());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Write_NonFiniteFloat_IsRefused(double value)
    {
        var error = Assert.Throws<LiteralException>(() => Literal.Write(value, LiteralLanguage.Json));

        Assert.Contains("has no JSON literal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NaNInsideAList_IsRefused() =>
        Assert.Throws<LiteralException>(() => Literal.Write(new List<object?> { 1, float.NaN }, LiteralLanguage.Json));

    [Fact]
    public void Write_UnsupportedType_IsRefusedNamingJson()
    {
        var error = Assert.Throws<LiteralException>(() => Literal.Write(new object(), LiteralLanguage.Json));

        Assert.Equal("lit: a value of type Object has no JSON literal; pass a string, number, boolean, date, list or map.", error.Message);
    }

    [Fact]
    public void Write_DatesAndTimestamps_AreIso8601Strings()
    {
        Assert.Equal("\"2026-11-20\"", Literal.Write(new DateOnly(2026, 11, 20), LiteralLanguage.Json));
        Assert.Equal("2026-11-20T00:00:00+00:00", Parsed(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero)).GetString());

        var precise = new DateTimeOffset(2026, 11, 20, 13, 45, 30, TimeSpan.FromHours(2)).AddTicks(1234567);
        Assert.Equal(precise, DateTimeOffset.Parse(Parsed(precise).GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Write_ListAndNestedMap_ParseBackWithTheirStructure()
    {
        var value = new Dictionary<string, object?>
        {
            ["Name"] = "etl \"nightly\"",
            ["Count"] = 3,
            ["Tags"] = new List<object?> { "a", null, true, 2.5 },
            ["Nested"] = new Dictionary<string, object?> { ["key\nwith newline"] = new DateOnly(2026, 1, 2) },
        };

        var element = Parsed(value);

        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        Assert.Equal("etl \"nightly\"", element.GetProperty("Name").GetString());
        Assert.Equal(3, element.GetProperty("Count").GetInt32());
        var tags = element.GetProperty("Tags");
        Assert.Equal(4, tags.GetArrayLength());
        Assert.Equal("a", tags[0].GetString());
        Assert.Equal(JsonValueKind.Null, tags[1].ValueKind);
        Assert.Equal(JsonValueKind.True, tags[2].ValueKind);
        Assert.Equal(2.5, tags[3].GetDouble());
        Assert.Equal("2026-01-02", element.GetProperty("Nested").GetProperty("key\nwith newline").GetString());
    }

    [Fact]
    public void Write_EmptyListAndMap_AreJson()
    {
        Assert.Equal("[]", Literal.Write(new List<object?>(), LiteralLanguage.Json));
        Assert.Equal("{}", Literal.Write(new Dictionary<string, object?>(), LiteralLanguage.Json));
    }

    [Fact]
    public void Write_JsonElement_WrittenBackInItsOrder()
    {
        using var document = JsonDocument.Parse("""{"z": 1, "a": [true, null, "x"]}""");

        Assert.Equal("""{"z": 1, "a": [true, null, "x"]}""", Literal.Write(document.RootElement, LiteralLanguage.Json));
    }

    [Fact]
    public void Write_ListContainingItself_IsRefusedByTheDepthLimit()
    {
        var list = new List<object?> { 1 };
        list.Add(list);

        var error = Assert.Throws<LiteralException>(() => Literal.Write(list, LiteralLanguage.Json));

        Assert.Contains("nested more than 64 levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preamble_Json_IsEmpty() =>
        Assert.Equal(string.Empty, Literal.Preamble(new Dictionary<string, object?> { ["a"] = 1 }, LiteralLanguage.Json));

    [Fact]
    public void Render_LitJsonInATemplate_WritesJsonWhateverTheStatementLanguage()
    {
        var library = new TemplateLibrary(new TemplateOptions { TemplatesFolder = _folder.Path });
        var template = library.ParseText("""{"Name": {{ params.customer | lit "json" }}, "Day": {{ ds | lit "JSON" }}, "Args": {{ params.args | lit "json" }}}""", "task.ClusterTemplate");
        var scope = TemplateScope.Create(new TemplateValues
        {
            DagId = "emr",
            TaskId = "create",
            RunId = "manual__2026-11-20T00:00:00+00:00",
            LogicalDate = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
            DataIntervalStart = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
            DataIntervalEnd = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero),
            Params = new Dictionary<string, object?> { ["customer"] = "O'Brien \"Ltd\"\n\\", ["args"] = new List<object?> { "--day", 1 } },
            Outputs = new Dictionary<string, object?>(),
        }, LiteralLanguage.Python);

        var rendered = library.Render(template, scope, TestContext.Current.CancellationToken);

        using var document = JsonDocument.Parse(rendered.Text);
        Assert.Equal("O'Brien \"Ltd\"\n\\", document.RootElement.GetProperty("Name").GetString());
        Assert.Equal("2026-11-20", document.RootElement.GetProperty("Day").GetString());
        Assert.Equal("""["--day", 1]""", document.RootElement.GetProperty("Args").GetRawText());
    }

    [Fact]
    public void Render_LitUnknownLanguage_NamesJsonAmongTheLanguages()
    {
        var library = new TemplateLibrary(new TemplateOptions { TemplatesFolder = _folder.Path });
        var template = library.ParseText("""{{ "x" | lit "yaml" }}""", "t.F");
        var scope = TemplateScope.Create(new TemplateValues
        {
            DagId = "d",
            TaskId = "t",
            RunId = "r",
            LogicalDate = DateTimeOffset.UnixEpoch,
            DataIntervalStart = DateTimeOffset.UnixEpoch,
            DataIntervalEnd = DateTimeOffset.UnixEpoch,
            Params = new Dictionary<string, object?>(),
            Outputs = new Dictionary<string, object?>(),
        }, LiteralLanguage.Python);

        var error = Assert.ThrowsAny<Exception>(() => library.Render(template, scope, TestContext.Current.CancellationToken));

        Assert.Contains("use python, scala, r, sql or json", error.Message, StringComparison.Ordinal);
    }
}
