using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DagRunner.Templating.Literals;

namespace DagRunner.Templating.Tests.Literals;

/// <summary>
/// The Scala, R and Spark SQL literals of <see cref="LiteralCases"/> compared with golden files that
/// were checked by hand against each language's rules. A golden line is <c>name TAB literal</c>, or
/// <c>name TAB !message</c> for a value the language refuses. With DAGRUNNER_UPDATE_GOLDEN=1 a
/// mismatch rewrites the golden file in the source tree (review the diff before committing it).
/// </summary>
public sealed class LiteralGoldenTests
{
    private const string PreambleCase = "preamble";

    [Theory]
    [InlineData(LiteralLanguage.Scala, "literals.scala.txt")]
    [InlineData(LiteralLanguage.R, "literals.r.txt")]
    [InlineData(LiteralLanguage.SparkSql, "literals.sql.txt")]
    public void Write_EveryCase_MatchesGoldenFile(LiteralLanguage language, string goldenFile)
    {
        var actual = Render(language);
        var expected = ReadGolden(Path.Combine(AppContext.BaseDirectory, "Golden", goldenFile));

        var diff = Diff(expected, actual);
        if (diff.Length == 0)
            return;

        if (Environment.GetEnvironmentVariable("DAGRUNNER_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(SourceFolder(), "..", "Golden", goldenFile);
            File.WriteAllText(source, Format(language, actual), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            Assert.Fail($"{goldenFile} did not match and was rewritten at {Path.GetFullPath(source)}; review it by hand:\n{diff}");
        }

        Assert.Fail($"{language} literals differ from Golden/{goldenFile} (- golden, + actual; set DAGRUNNER_UPDATE_GOLDEN=1 to rewrite it):\n{diff}");
    }

    [Fact]
    public void Preamble_SparkSql_IsEmpty()
    {
        Assert.Equal(string.Empty, Literal.Preamble(LiteralCases.PreambleParameters, LiteralLanguage.SparkSql));
    }

    [Theory]
    [InlineData(LiteralLanguage.Python)]
    [InlineData(LiteralLanguage.Scala)]
    [InlineData(LiteralLanguage.R)]
    public void Preamble_Language_IsOneLineEndingWithNewline(LiteralLanguage language)
    {
        var preamble = Literal.Preamble(LiteralCases.PreambleParameters, language);

        Assert.EndsWith("\n", preamble, StringComparison.Ordinal);
        Assert.Equal(preamble.Length - 1, preamble.IndexOf('\n', StringComparison.Ordinal));
    }

    private static List<KeyValuePair<string, string>> Render(LiteralLanguage language)
    {
        var lines = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in LiteralCases.All)
        {
            string text;
            try
            {
                text = Literal.Write(value, language);
            }
            catch (LiteralException error)
            {
                text = "!" + error.Message;
            }

            lines.Add(new(name, text));
        }

        // Spark SQL has no preamble (Preamble_SparkSql_IsEmpty).
        if (language != LiteralLanguage.SparkSql)
            lines.Add(new(PreambleCase, Literal.Preamble(LiteralCases.PreambleParameters, language).TrimEnd('\n')));
        return lines;
    }

    private static List<KeyValuePair<string, string>> ReadGolden(string path)
    {
        Assert.True(File.Exists(path), $"The golden file {path} is missing (is Golden/** copied to the output?).");
        var lines = new List<KeyValuePair<string, string>>();
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            Assert.True(tab > 0, $"{Path.GetFileName(path)}: the line `{line}` has no `name<TAB>literal` shape.");
            lines.Add(new(line[..tab], line[(tab + 1)..]));
        }

        return lines;
    }

    /// <summary>Each case whose literal differs, is missing or is extra, as - golden / + actual lines.</summary>
    private static string Diff(List<KeyValuePair<string, string>> expected, List<KeyValuePair<string, string>> actual)
    {
        var diff = new StringBuilder();
        var golden = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in expected)
        {
            if (!golden.TryAdd(name, text))
                diff.Append("  duplicate case in the golden file: ").AppendLine(name);
        }

        var rendered = actual.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, text) in actual)
        {
            if (!golden.TryGetValue(name, out var want))
            {
                diff.Append("  ").Append(name).AppendLine(": not in the golden file").Append("    + ").AppendLine(Visible(text));
            }
            else if (!string.Equals(want, text, StringComparison.Ordinal))
            {
                diff.Append("  ").Append(name).AppendLine(":")
                    .Append("    - ").AppendLine(Visible(want))
                    .Append("    + ").AppendLine(Visible(text));
            }
        }

        foreach (var (name, text) in expected.Where(p => !rendered.Contains(p.Key)))
            diff.Append("  ").Append(name).AppendLine(": in the golden file but no longer a case").Append("    - ").AppendLine(Visible(text));
        return diff.ToString();
    }

    // A mismatch in an invisible character must show: controls, format characters, separators other
    // than the space, and surrogates (even paired ones, so a pair and two lone halves look different)
    // become <U+XXXX>; letters, digits, punctuation and symbols stay as they are.
    private static string Visible(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            var shown = c == ' ' || char.GetUnicodeCategory(c) switch
            {
                UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                    or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                    or UnicodeCategory.ParagraphSeparator => false,
                _ => true,
            };
            if (shown)
                builder.Append(c);
            else
                builder.Append("<U+").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('>');
        }

        return builder.ToString();
    }

    private static string Format(LiteralLanguage language, List<KeyValuePair<string, string>> lines)
    {
        var builder = new StringBuilder();
        builder.Append("# ").Append(language).Append(" literals of LiteralCases, one `name<TAB>literal` a line (`!message`: refused).\n")
            .Append("# Every line was checked by hand against the language's rules: review any change the same way.\n");
        foreach (var (name, text) in lines)
            builder.Append(name).Append('\t').Append(text).Append('\n');
        return builder.ToString();
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
