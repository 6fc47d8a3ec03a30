using System.Numerics;
using System.Text.Json;

namespace DagRunner.Templating.Tests.Literals;

/// <summary>
/// Named values every language's golden file covers: each kind of string trouble, the edges of each
/// number type, dates, and lists and maps nested in each other. The names are the golden files' keys.
/// </summary>
internal static class LiteralCases
{
    public static IReadOnlyList<(string Name, object? Value)> All { get; } =
    [
        // Strings.
        ("string.empty", ""),
        ("string.plain", "hello world"),
        ("string.single_quote", "O'Brien"),
        ("string.double_quote", "say \"hi\""),
        ("string.both_quotes", "it's \"quoted\""),
        ("string.backslash_path", @"C:\temp\new\x"),
        ("string.trailing_backslash", @"ends with \"),
        ("string.backslash_quote", @"\' and \"""),
        ("string.backslash_escape_lookalikes", @"\u0041 \U00000041 \x41 \N{DASH} \012 \0 \b \Z"),
        ("string.newline_cr_tab", "line1\nline2\r\n\tindented"),
        ("string.mix", "O'Brien \"Ltd\" \\ naïve\nzweite Zeile"),
        ("string.nul", "a\u0000b"),
        ("string.c0_controls", "\u0001\u0007\u0008\u000B\u000C\u001A\u001B\u001F"),
        ("string.control_then_hex_digits", "\u0001F\u0007abc"),
        ("string.del", "x\u007Fy"),
        ("string.c1_controls", "\u0080\u0085\u009F"),
        ("string.line_paragraph_separators", "a\u2028b\u2029c"),
        ("string.format_chars", "\u200B\u200D\uFEFF\u00AD"),
        ("string.non_ascii", "é ß Привет 日本語 λ"),
        ("string.no_break_space", "a\u00A0b"),
        ("string.emoji", "😀 👍🏽 𝄞"),
        ("string.emoji_zwj", "👩\u200D💻"),
        ("string.lone_high_surrogate", "a\uD800b"),
        ("string.lone_low_surrogate", "a\uDC00b"),
        ("string.reversed_surrogates", "\uDC00\uD800"),
        ("string.dollar_brace", "${env:HOME} ${x} $y {z}"),
        ("string.percent_underscore", @"50% a_b \% \_"),
        ("string.sql_comment_semicolon", "-- no comment /* none */ ; x"),
        ("char.letter", 'x'),
        ("char.quote", '\''),

        // Numbers.
        ("int.zero", 0),
        ("int.negative", -42),
        ("int.max", int.MaxValue),
        ("int.min", int.MinValue),
        ("byte.max", byte.MaxValue),
        ("short.negative", (short)-7),
        ("uint.max", uint.MaxValue),
        ("long.small", 5L),
        ("long.big", 1L << 40),
        ("long.max", long.MaxValue),
        ("long.min", long.MinValue),
        ("ulong.max", ulong.MaxValue),
        ("bigint.positive", BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture)),
        ("bigint.negative", BigInteger.Parse("-99999999999999999999", System.Globalization.CultureInfo.InvariantCulture)),
        ("bigint.310_digits", BigInteger.Pow(10, 309) * 2),
        ("bigint.38_digits", BigInteger.Parse("99999999999999999999999999999999999999", System.Globalization.CultureInfo.InvariantCulture)),
        ("double.whole", 2.0),
        ("double.tenth", 0.1),
        ("double.negative", -1.5),
        ("double.negative_zero", -0.0),
        ("double.large_whole", 1e16),
        ("double.big", 1e300),
        ("double.max", double.MaxValue),
        ("double.tiny", 5e-324),
        ("double.small", 1.5e-7),
        ("double.nan", double.NaN),
        ("double.positive_infinity", double.PositiveInfinity),
        ("double.negative_infinity", double.NegativeInfinity),
        ("float.tenth", 0.1f),
        ("decimal.trailing_zero", 1.50m),
        ("decimal.negative", -0.001m),
        ("decimal.whole", 100m),
        ("decimal.max", decimal.MaxValue),
        ("decimal.tiny", 0.0000000000000000000000000001m),
        ("bool.true", true),
        ("bool.false", false),
        ("null", null),

        // Dates and times.
        ("date.leap_day", new DateOnly(2024, 2, 29)),
        ("date.first", new DateOnly(1, 1, 1)),
        ("timestamp.utc", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)),
        ("timestamp.offset_fraction", new DateTimeOffset(2024, 1, 2, 3, 4, 5, new TimeSpan(5, 30, 0)).AddTicks(1_234_560)),
        ("timestamp.negative_offset_next_year", new DateTimeOffset(2023, 12, 31, 23, 30, 0, TimeSpan.FromHours(-8))),
        ("timestamp.sub_microsecond", new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_567)),
        ("datetime.utc", new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc)),
        ("datetime.unspecified", new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Unspecified)),

        // Lists and maps.
        ("list.empty", new List<object?>()),
        ("list.ints", new List<object?> { 1, 2, 3 }),
        ("list.mixed", new List<object?> { 1, "two", 3.0, true, null }),
        ("list.int_long_double", new List<object?> { 1, 3_000_000_000L, 2.5 }),
        ("list.negative_numbers", new List<object?> { -1, -2.5, long.MinValue, -0.5m }),
        ("list.nested", new List<object?> { new List<object?> { 1, 2 }, new List<object?>(), new List<object?> { "a" } }),
        ("list.maps", new List<object?>
        {
            new Dictionary<string, object?> { ["k"] = "v" },
            new Dictionary<string, object?> { ["n"] = -1 },
        }),
        ("array.ints", new[] { 1, 2 }),
        ("map.empty", new Dictionary<string, object?>()),
        ("map.simple", new Dictionary<string, object?> { ["a"] = 1, ["b"] = "x" }),
        ("map.negative_numbers", new Dictionary<string, object?> { ["min"] = -5, ["balance"] = -12.75m, ["rate"] = -0.25 }),
        ("map.nested", new Dictionary<string, object?>
        {
            ["outer"] = new Dictionary<string, object?> { ["inner"] = new List<object?> { 1, new Dictionary<string, object?> { ["deep"] = null } } },
            ["empty"] = new Dictionary<string, object?>(),
        }),
        ("map.awkward_keys", new Dictionary<string, object?>
        {
            [""] = 1,
            ["with space"] = 2,
            ["it's"] = 3,
            ["quote\"key"] = 4,
            ["line\nbreak"] = 5,
            ["tab\u0001ctl"] = 6,
        }),
        ("map.typed_values", new Dictionary<string, int> { ["x"] = 1, ["y"] = -2 }),
        ("json.object", JsonDocument.Parse("""{"a": [1, 2.5, "x\u00e9", null, true], "big": 12345678901234567890123, "neg": -7}""").RootElement.Clone()),
    ];

    /// <summary>The parameters every language's preamble case binds.</summary>
    public static IReadOnlyDictionary<string, object?> PreambleParameters { get; } = new Dictionary<string, object?>
    {
        ["table"] = "sales",
        ["customer"] = "O'Brien \"Ltd\"",
        ["day"] = new DateOnly(2026, 11, 20),
        ["limit"] = 100,
        ["ids"] = new List<object?> { 1, 2 },
        ["opts"] = new Dictionary<string, object?> { ["dry_run"] = false },
    };
}
