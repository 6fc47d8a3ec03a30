using System.Collections;
using System.Numerics;
using DagRunner.Templating.Literals;

namespace DagRunner.Templating.Tests.Literals;

/// <summary>Edges the golden files also show, each stated once with its reason.</summary>
public sealed class LiteralEdgeCaseTests
{
    // Spark replaces ${name} and ${env:NAME} in the statement's text before parsing it, string
    // literals included (spark.sql.variable.substitute is on by default; an unknown name becomes "").
    [Fact]
    public void Write_SqlStringWithDollarBrace_HidesItFromVariableSubstitution()
    {
        Assert.Equal(@"'\u0024{env:HOME} costs $5 {x} $'", Literal.Write("${env:HOME} costs $5 {x} $", LiteralLanguage.SparkSql));
    }

    [Fact]
    public void Write_SqlStringWithBackslashU_KeepsTheBackslash()
    {
        Assert.Equal(@"'\\u0041'", Literal.Write(@"\u0041", LiteralLanguage.SparkSql));
    }

    // Scala 2.12 turns \u0022 into a quote before it reads the string, so no \u escape may be written.
    [Theory]
    [InlineData("\"\n\u0001", "(\"\\\"\\n\" + 0x1.toChar + \"\")")]
    [InlineData(@"\u0022", "\"\\\\u0022\"")]
    public void Write_ScalaString_NeverWritesAUnicodeEscape(string value, string expected)
    {
        var literal = Literal.Write(value, LiteralLanguage.Scala);

        Assert.Equal(expected, literal);
    }

    // The nearest double, as R itself reads the digits: the (double) cast of a BigInteger truncates.
    [Theory]
    [InlineData("18446744073709551615", "1.8446744073709552E+19")]
    [InlineData("9223372036854775807", "9.223372036854776E+18")]
    [InlineData("-99999999999999999999", "-1E+20")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("-2147483648", "-2147483648")]
    public void Write_RIntegerOutsideRIntegers_IsTheNearestDouble(string digits, string expected)
    {
        var value = BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, Literal.Write(value, LiteralLanguage.R));
    }

    [Fact]
    public void Write_RIntegerBeyondTheLargestDouble_IsRefused()
    {
        var error = Assert.Throws<LiteralException>(() => Literal.Write(BigInteger.Pow(10, 309), LiteralLanguage.R));

        Assert.EndsWith(" is too large for an R number (a double).", error.Message, StringComparison.Ordinal);
    }

    // A generic dictionary enumerates KeyValuePair<K, V>, not DictionaryEntry, through IEnumerable.
    [Fact]
    public void Write_DictionaryOfNonObjectValues_IsAMap()
    {
        Assert.Equal("{'a': 1, 'b': -2}", Literal.Write(new Dictionary<string, int> { ["a"] = 1, ["b"] = -2 }, LiteralLanguage.Python));
        Assert.Equal("map('k', 'v')", Literal.Write(new SortedDictionary<string, string> { ["k"] = "v" }, LiteralLanguage.SparkSql));
        Assert.Equal("Map(\"x\" -> true)", Literal.Write(new Hashtable { ["x"] = true }, LiteralLanguage.Scala));
    }
}
