using System.Collections;
using System.Numerics;
using DagRunner.Templating.Literals;

namespace DagRunner.Templating.Tests.Literals;

/// <summary>A value with no literal is refused with a <see cref="LiteralException"/> that names the problem.</summary>
public sealed class LiteralRefusalTests
{
    [Fact]
    public void Write_RStringWithNul_IsRefusedNamingNul()
    {
        var error = Assert.Throws<LiteralException>(() => Literal.Write("before\0after", LiteralLanguage.R));

        Assert.Equal("lit: an R string cannot hold a NUL character.", error.Message);
    }

    [Fact]
    public void Write_RMapKeyWithNul_IsRefusedNamingNul()
    {
        var map = new Dictionary<string, object?> { ["a\0b"] = 1 };

        var error = Assert.Throws<LiteralException>(() => Literal.Write(map, LiteralLanguage.R));

        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    // The strings are built here: xunit would turn a lone surrogate in InlineData into U+FFFD.
    [Theory]
    [InlineData("a", 0xD800, "b", "U+D800")]
    [InlineData("", 0xDC00, "", "U+DC00")]
    [InlineData("x", 0xDBFF, "", "U+DBFF")]
    [InlineData("\U0001F600", 0xDFFF, "\U0001F600", "U+DFFF")]
    public void Write_RStringWithLoneSurrogate_IsRefusedNamingTheCodeUnit(string before, int surrogate, string after, string named)
    {
        var value = before + (char)surrogate + after;

        var error = Assert.Throws<LiteralException>(() => Literal.Write(value, LiteralLanguage.R));

        Assert.Equal($"lit: an R string cannot hold a lone surrogate ({named}).", error.Message);
    }

    [Fact]
    public void Write_RStringWithSurrogatePair_IsNotRefused()
    {
        Assert.Equal("\"\U0001F600\"", Literal.Write("\U0001F600", LiteralLanguage.R));
    }

    [Fact]
    public void Write_SqlIntegerOf39Digits_IsRefusedNamingTheLimit()
    {
        var big = BigInteger.Pow(10, 38); // 1 followed by 38 zeros: 39 digits.

        var error = Assert.Throws<LiteralException>(() => Literal.Write(big, LiteralLanguage.SparkSql));

        Assert.Equal($"lit: {big} has more than 38 digits, more than a Spark SQL decimal holds.", error.Message);
    }

    [Fact]
    public void Write_SqlNegativeIntegerOf40Digits_IsRefusedNamingTheNumber()
    {
        var big = -BigInteger.Parse("1234567890123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture);

        var error = Assert.Throws<LiteralException>(() => Literal.Write(new List<object?> { 1, big }, LiteralLanguage.SparkSql));

        Assert.Contains("-1234567890123456789012345678901234567890 has more than 38 digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SqlIntegerOf38Digits_IsADecimal()
    {
        var big = BigInteger.Pow(10, 38) - 1;

        Assert.Equal(new string('9', 38) + "BD", Literal.Write(big, LiteralLanguage.SparkSql));
        Assert.Equal("-" + new string('9', 38) + "BD", Literal.Write(-big, LiteralLanguage.SparkSql));
    }

    [Theory]
    [InlineData(LiteralLanguage.Python, "Python")]
    [InlineData(LiteralLanguage.Scala, "Scala")]
    [InlineData(LiteralLanguage.R, "R")]
    [InlineData(LiteralLanguage.SparkSql, "Spark SQL")]
    public void Write_UnsupportedType_IsRefusedNamingTypeAndLanguage(LiteralLanguage language, string languageName)
    {
        var error = Assert.Throws<LiteralException>(() => Literal.Write(new object(), language));

        Assert.Equal($"lit: a value of type Object has no {languageName} literal; pass a string, number, boolean, date, list or map.", error.Message);
    }

    [Fact]
    public void Write_UnsupportedTypeInsideAMap_IsRefused()
    {
        var map = new Dictionary<string, object?> { ["when"] = TimeSpan.FromHours(1) };

        var error = Assert.Throws<LiteralException>(() => Literal.Write(map, LiteralLanguage.Python));

        Assert.Contains("type TimeSpan has no Python literal", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LiteralLanguage.Python)]
    [InlineData(LiteralLanguage.Scala)]
    [InlineData(LiteralLanguage.R)]
    [InlineData(LiteralLanguage.SparkSql)]
    public void Write_ListContainingItself_IsRefusedByTheDepthLimit(LiteralLanguage language)
    {
        var list = new List<object?> { 1 };
        list.Add(list);

        var error = Assert.Throws<LiteralException>(() => Literal.Write(list, language));

        Assert.Equal("lit: the value is nested more than 64 levels deep (does it contain itself?).", error.Message);
    }

    [Fact]
    public void Write_MapContainingItself_IsRefusedByTheDepthLimit()
    {
        var map = new Dictionary<string, object?>();
        map["self"] = map;

        var error = Assert.Throws<LiteralException>(() => Literal.Write(map, LiteralLanguage.Scala));

        Assert.Contains("nested more than 64 levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NestedSixtyLevels_IsWritten()
    {
        object? value = "leaf";
        for (var i = 0; i < 60; i++)
            value = new List<object?> { value };

        var literal = Literal.Write(value, LiteralLanguage.Python);

        Assert.Equal(new string('[', 60) + "'leaf'" + new string(']', 60), literal);
    }

    [Fact]
    public void Write_MapWithNonStringKey_IsRefusedNamingTheKeyType()
    {
        var map = new Hashtable { [1] = "one" };

        var error = Assert.Throws<LiteralException>(() => Literal.Write(map, LiteralLanguage.Python));

        Assert.Equal("lit: map keys must be strings, not Int32.", error.Message);
    }

    [Fact]
    public void Write_UnknownLanguage_IsAnArgumentError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Literal.Write(1, (LiteralLanguage)99));
    }
}
