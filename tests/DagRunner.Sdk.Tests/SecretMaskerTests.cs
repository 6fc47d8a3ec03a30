using System.Text.Json;
using DagRunner.Sdk;

namespace DagRunner.Sdk.Tests;

public sealed class SecretMaskerTests
{
    private const string Secret = "s3cr+t/x \"é\"";

    private static SecretMasker With(params string[] secrets)
    {
        var masker = new SecretMasker();
        masker.AddRange(secrets);
        return masker;
    }

    [Fact]
    public void Mask_RegisteredValue_ReplacedWherever()
    {
        var masker = With("tok-123456");

        Assert.Equal("a *** b ***", masker.Mask("a tok-123456 b tok-123456"));
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("    x")]
    [InlineData("")]
    public void Add_ShortValues_NotRegistered(string value)
    {
        var masker = new SecretMasker();

        Assert.False(masker.Add(value));
        Assert.Equal(0, masker.Count);
        Assert.Equal("1234 x", masker.Mask("1234 x"));
    }

    [Fact]
    public void Mask_JsonEscapedAndUrlEncodedForms_Masked()
    {
        var masker = With(Secret);

        Assert.Equal("""{"pw":"***"}""", masker.Mask(JsonSerializer.Serialize(new { pw = Secret })));
        Assert.Equal("https://h/?pw=***", masker.Mask("https://h/?pw=" + Uri.EscapeDataString(Secret)));
        Assert.Equal("pw=***", masker.Mask("pw=" + Uri.EscapeDataString(Secret).Replace("%20", "+", StringComparison.Ordinal)));
        Assert.Equal("pw=***", masker.Mask("pw=s3cr%2bt%2fx%20%22%c3%a9%22"));
    }

    [Fact]
    public void Mask_EachLineOfAMultiLineSecret_Masked()
    {
        var masker = With("-----BEGIN KEY-----\nMIIEvQIBADANBgkq\n-----END KEY-----");

        Assert.Equal("line: ***", masker.Mask("line: MIIEvQIBADANBgkq"));
    }

    [Fact]
    public void AddSecretsOf_SecretNamesInNestedMapsAndLists_Registered()
    {
        var masker = new SecretMasker();
        using var conf = JsonDocument.Parse("""{"databases": [{"name": "sales", "password": "pw-000001"}], "credentials": {"user": "bob-the-user", "key": "k-0000002"}, "api_token": "tok-000003", "table": "sales"}""");

        masker.AddSecretsOf(conf.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value));

        Assert.Equal("*** *** *** *** sales", masker.Mask("pw-000001 bob-the-user k-0000002 tok-000003 sales"));
    }

    [Fact]
    public void MaskJson_SecretSpanningJsonStructure_StaysValidJson()
    {
        var masker = With("a\",\"b\":\"c");

        var masked = masker.MaskJson("""{"x":"a","b":"c","y":"a\",\"b\":\"c"}""");

        using var document = JsonDocument.Parse(masked);
        Assert.Equal("***", document.RootElement.GetProperty("y").GetString());
    }

    [Fact]
    public void MaskJson_FormsHiddenByTheDocumentsOwnEscapes_Masked()
    {
        var masker = With("Sp ace\"Tok99");
        // As System.Text.Json stores what a job printed: '+' and '"' written as \u002B and \u0022, and a JSON
        // string the job printed (json.dumps) escaped once more.
        var stored = JsonSerializer.Serialize(new { outputs = new[] { "Sp+ace%22Tok99", "\"Sp ace\\\"Tok99\"" } });
        Assert.Contains("\\u002B", stored, StringComparison.Ordinal);

        var masked = masker.MaskJson(stored);

        using var document = JsonDocument.Parse(masked);
        Assert.Equal(["***", "\"***\""], document.RootElement.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void MaskJson_NoSecretInTheDocument_ReturnedAsItWas()
    {
        var masker = With("tok-123456");
        const string Json = "{ \"a\": \"b\u002Bc\" }";

        Assert.Same(Json, masker.MaskJson(Json));
    }

    [Fact]
    public void Wrap_SecretWrittenInPieces_MaskedWhenTheLineEnds()
    {
        var masker = With("tok-123456");
        var inner = new StringWriter();
        using var writer = masker.Wrap(inner);

        writer.Write("token: tok-");
        writer.Write('1');
        Assert.Equal("", inner.ToString());
        writer.Write("23456 and more\nnext ");

        Assert.Equal("token: *** and more\nnext ", inner.ToString());
    }

    [Fact]
    public void Wrap_TextThatCannotStartASecret_PassedOnAtOnce()
    {
        var masker = With("tok-123456");
        var inner = new StringWriter();
        using var writer = masker.Wrap(inner);

        writer.Write("progress 50%");
        Assert.Equal("progress 50%", inner.ToString());
        writer.Write(" to");
        Assert.Equal("progress 50%", inner.ToString());
        writer.Flush();

        Assert.Equal("progress 50% to", inner.ToString());
    }

    [Fact]
    public void Mask_RegisteredLater_MaskedFromThenOn()
    {
        var masker = new SecretMasker();

        Assert.Equal("tok-123456", masker.Mask("tok-123456"));
        masker.Add("tok-123456");

        Assert.Equal("***", masker.Mask("tok-123456"));
    }
}
