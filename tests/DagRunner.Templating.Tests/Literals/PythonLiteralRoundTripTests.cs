using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using DagRunner.Templating.Literals;
using DagRunner.Testing;

namespace DagRunner.Templating.Tests.Literals;

/// <summary>
/// Python literals executed by a real <c>python3</c>: each value's literal is written into a program,
/// Python prints a canonical form of what it evaluated (strings as code points, so lone surrogates
/// survive; floats as their bits), and that must equal the canonical form C# computes from the value.
/// </summary>
public sealed class PythonLiteralRoundTripTests : IDisposable
{
    // Canonical forms, one line each, plain ASCII: the same rules as Canonical below.
    private const string CanonicalPython = """
        import datetime, decimal, math, struct, sys

        def canon(v):
            if v is None:
                return 'null'
            if isinstance(v, bool):
                return 'bool:true' if v else 'bool:false'
            if isinstance(v, int):
                return 'int:' + str(v)
            if isinstance(v, float):
                if math.isnan(v):
                    return 'float:nan'
                return 'float:' + str(struct.unpack('<q', struct.pack('<d', v))[0])
            if isinstance(v, decimal.Decimal):
                t = v.as_tuple()
                return 'decimal:%d,%s,%d' % (t.sign, ''.join(str(d) for d in t.digits), t.exponent)
            if isinstance(v, str):
                return 'str:[' + ','.join(str(ord(c)) for c in v) + ']'
            if isinstance(v, datetime.datetime):
                return 'datetime:' + v.isoformat()
            if isinstance(v, datetime.date):
                return 'date:' + v.isoformat()
            if isinstance(v, list):
                return 'list:[' + ','.join(canon(x) for x in v) + ']'
            if isinstance(v, dict):
                return 'dict:{' + ','.join(canon(k) + '=' + canon(x) for k, x in v.items()) + '}'
            return 'unknown:' + type(v).__name__

        def emit(f):
            try:
                line = canon(f())
            except Exception as e:
                line = 'error:' + type(e).__name__ + ': ' + str(e)
            sys.stdout.write(line.replace('\n', ' ') + '\n')

        """;

    private static readonly TimeSpan PythonTimeout = TimeSpan.FromMinutes(2);

    private readonly TempFolder _folder = new("dagrunner-pylit");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Write_HundredsOfGeneratedValues_PythonEvaluatesBackToTheSameValues()
    {
        var values = GeneratedValues();
        Assert.True(values.Count >= 500, $"only {values.Count} values were generated");

        await AssertRoundTrip(values);
    }

    [Fact]
    public async Task Write_EveryNamedCase_PythonEvaluatesBackToTheSameValue()
    {
        await AssertRoundTrip(LiteralCases.All.Select(c => c.Value).ToList());
    }

    [Fact]
    public async Task Preamble_Python_ExecutedBindsParamsToTheSameMap()
    {
        var parameters = new Dictionary<string, object?>(LiteralCases.PreambleParameters)
        {
            ["zeta"] = "last \u2028 \uD800 \U0001F600",
            ["alpha"] = new List<object?> { -1.5, double.NaN, long.MinValue, 1.50m, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-3)) },
            ["Beta"] = null,
            ["it's"] = "key with a quote",
        };
        var preamble = Literal.Preamble(parameters, LiteralLanguage.Python);
        var program = CanonicalPython + preamble + "emit(lambda: params)\n";

        var output = await RunPython(program);

        // The preamble orders the keys by ordinal comparison, so "Beta" comes before "alpha".
        var sorted = parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal([Canonical(sorted)], output);
    }

    private async Task AssertRoundTrip(List<object?> values)
    {
        var literals = values.Select(v => Literal.Write(v, LiteralLanguage.Python)).ToList();
        var program = new StringBuilder(CanonicalPython);
        foreach (var literal in literals)
            program.Append("emit(lambda: ").Append(literal).Append(")\n");

        var output = await RunPython(program.ToString());

        Assert.True(output.Count == values.Count, $"python3 printed {output.Count} lines for {values.Count} values:\n{string.Join('\n', output.Take(20))}");
        var failures = new StringBuilder();
        var failed = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var expected = Canonical(values[i]);
            if (string.Equals(expected, output[i], StringComparison.Ordinal))
                continue;
            if (++failed <= 20)
                failures.Append("value ").Append(i).Append(": literal ").AppendLine(Escaped(literals[i]))
                    .Append("  expected ").AppendLine(expected)
                    .Append("  python   ").AppendLine(output[i]);
        }

        Assert.True(failed == 0, $"{failed} of {values.Count} Python literals did not evaluate back to their value:\n{failures}");
    }

    /// <summary>Runs <paramref name="program"/> (written as strict UTF-8) with python3 and returns its output lines.</summary>
    private async Task<List<string>> RunPython(string program)
    {
        var python = FindOnPath("python3")
            ?? throw new InvalidOperationException("python3 is not on PATH: the Python literal round-trip tests execute the literals with a real Python 3.8+ (CI checks that python3 exists).");

        // A literal that still held a lone surrogate could not be written as UTF-8: this throws then.
        var path = _folder.Write("roundtrip.py", string.Empty);
        await File.WriteAllTextAsync(path, program, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), TestContext.Current.CancellationToken);

        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-B");
        start.ArgumentList.Add(path);
        start.Environment["PYTHONIOENCODING"] = "utf-8:backslashreplace";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(PythonTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout;
        var errors = await stderr;
        Assert.True(process.ExitCode == 0, $"python3 {path} exited with {process.ExitCode}:\n{errors}\n{ProgramLinesNamedIn(errors, program)}");
        return [.. output.Split('\n').SkipLast(1)];
    }

    // A syntax error names a line of the program: show that line, since the file is deleted afterwards.
    private static string ProgramLinesNamedIn(string errors, string program)
    {
        var lines = program.Split('\n');
        var shown = new StringBuilder();
        foreach (var match in System.Text.RegularExpressions.Regex.Matches(errors, @"line (\d+)").Cast<System.Text.RegularExpressions.Match>())
        {
            var number = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            if (number >= 1 && number <= lines.Length)
                shown.Append("line ").Append(number).Append(": ").AppendLine(Escaped(lines[number - 1]));
        }

        return shown.ToString();
    }

    private static string? FindOnPath(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }

    /// <summary>The canonical form Python's <c>canon</c> prints for the value Python should have evaluated.</summary>
    private static string Canonical(object? value) => value switch
    {
        null => "null",
        bool b => b ? "bool:true" : "bool:false",
        string s => "str:[" + string.Join(',', CodePoints(s)) + "]",
        char c => Canonical(c.ToString()),
        sbyte or byte or short or ushort or int or uint or long or ulong => "int:" + Convert.ToString(value, CultureInfo.InvariantCulture),
        BigInteger big => "int:" + big.ToString(CultureInfo.InvariantCulture),
        float f => CanonicalFloat(f),
        double d => CanonicalFloat(d),
        decimal m => CanonicalDecimal(m),
        DateOnly date => "date:" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => Canonical(time.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(time, TimeSpan.Zero) : new DateTimeOffset(time)),
        DateTimeOffset offset => "datetime:" + PythonIsoFormat(offset),
        JsonElement json => Canonical(FromJson(json)),
        IDictionary<string, object?> map => CanonicalMap(map),
        IDictionary map => CanonicalMap(DictionaryEntries(map)),
        List<KeyValuePair<string, object?>> jsonObject => CanonicalMap(jsonObject),
        IEnumerable items => "list:[" + string.Join(',', items.Cast<object?>().Select(Canonical)) + "]",
        _ => throw new ArgumentException($"no canonical form for {value.GetType().Name}", nameof(value)),
    };

    private static string CanonicalMap(IEnumerable<KeyValuePair<string, object?>> map) =>
        "dict:{" + string.Join(',', map.Select(p => Canonical(p.Key) + "=" + Canonical(p.Value))) + "}";

    private static IEnumerable<KeyValuePair<string, object?>> DictionaryEntries(IDictionary map)
    {
        var enumerator = map.GetEnumerator();
        while (enumerator.MoveNext())
            yield return new((string)enumerator.Key, enumerator.Value);
    }

    // Python's ord() of each character: a surrogate pair is one code point, a lone half is itself.
    private static IEnumerable<int> CodePoints(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                yield return char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            else
            {
                yield return text[i];
            }
        }
    }

    private static string CanonicalFloat(double value) =>
        double.IsNaN(value) ? "float:nan" : "float:" + BitConverter.DoubleToInt64Bits(value).ToString(CultureInfo.InvariantCulture);

    // Python's Decimal.as_tuple(): sign, the digits of the unscaled integer, and minus the scale.
    private static string CanonicalDecimal(decimal value)
    {
        var bits = decimal.GetBits(value);
        var unscaled = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        var negative = bits[3] < 0 && !unscaled.IsZero;
        return Invariant($"decimal:{(negative ? 1 : 0)},{unscaled},{-value.Scale}");
    }

    // datetime.isoformat(): microseconds only when non-zero; a literal keeps microseconds, not ticks.
    private static string PythonIsoFormat(DateTimeOffset value)
    {
        var local = value.DateTime;
        var microseconds = local.Ticks % TimeSpan.TicksPerSecond / 10;
        var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (microseconds != 0)
            text += Invariant($".{microseconds:D6}");
        return text + value.ToString("zzz", CultureInfo.InvariantCulture);
    }

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Number => json.TryGetInt64(out var l) ? l
            : BigInteger.TryParse(json.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) ? big
            : json.GetDouble(),
        JsonValueKind.Array => json.EnumerateArray().Select(FromJson).ToList(),
        _ => json.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, FromJson(p.Value))).ToList(),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escaped(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (c is >= ' ' and <= '~')
                builder.Append(c);
            else
                builder.Append(Invariant($"<U+{(int)c:X4}>"));
        }

        return builder.ToString();
    }

    // ---- Generated values: deterministic, so a failure is the same failure on every run. ----

    private static readonly string[] Pieces =
    [
        "'", "\"", "\\", "\\\\", "''", "\"\"\"", "\n", "\r", "\r\n", "\t", "\0", "\u0001", "\u0007", "\b", "\u000B", "\f",
        "\u001A", "\u001B", "\u001F", "\u007F", "\u0080", "\u0085", "\u009F", "\u00A0", "\u00AD", "\u2028", "\u2029",
        "\u200B", "\u200D", "\u200E", "\uFEFF", "é", "ß", "ñ", "Ж", "я", "λ", "日本", "中", "한", "ع", "ש",
        "\U0001F600", "\U0001F44D\U0001F3FD", "\U0001D11E", "\U0001F469\u200D\U0001F4BB", "\uD800", "\uDC00", "\uDBFF",
        "\uDFFF", "\\u0041", "\\x41", "\\N{DASH}", "\\0", "\\'", "${", "{", "}", "%", "_", "#", "\"\"", "f'{x}'",
        "\uFFFD", "\uFFFF", "\uE000",
    ];

    private static List<object?> GeneratedValues()
    {
        var random = new Random(20261120);
        var values = new List<object?>();

        for (var i = 0; i < 400; i++)
            values.Add(RandomString(random));

        values.AddRange(
        [
            0, 1, -1, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, ulong.MaxValue, (byte)200, (sbyte)-100,
            (short)-32768, (ushort)65535, uint.MaxValue,
            BigInteger.Pow(2, 64), -BigInteger.Pow(2, 64) - 1, BigInteger.Pow(10, 40), BigInteger.Pow(-3, 301),
            0.1, 0.2, 0.30000000000000004, -0.0, 0.0, 1.0, -1.5, 1e300, -1e300, 1e16, 1e15, 123456789012345680.0, 5e-324,
            -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, double.MaxValue, double.MinValue, double.Epsilon,
            Math.PI, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.1f, float.MaxValue, float.NaN, -0.0f,
            1.50m, -1.50m, 0m, 0.00m, 100m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, 1e-7m,
            -0.001m, 123456789.123456789m,
            true, false, null, 'q', '\'', '\0', '\uD800',
            new DateOnly(1, 1, 1), new DateOnly(9999, 12, 31), new DateOnly(2024, 2, 29),
            new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
            new DateTimeOffset(2024, 1, 2, 3, 4, 5, new TimeSpan(5, 30, 0)).AddTicks(1_234_560),
            new DateTimeOffset(2023, 12, 31, 23, 30, 0, TimeSpan.FromHours(-8)),
            new DateTimeOffset(2024, 6, 1, 0, 0, 0, new TimeSpan(14, 0, 0)).AddTicks(1_234_567),
            new DateTimeOffset(2024, 6, 1, 0, 0, 0, new TimeSpan(-9, -30, 0)).AddTicks(10),
            new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc),
            new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Unspecified).AddTicks(5_000_000),
            new List<object?>(), new Dictionary<string, object?>(), new object?[] { null, new List<object?> { new List<object?>() } },
            new[] { -1, -2, 3 }, new Dictionary<string, int> { ["a"] = 1, ["b\u2028"] = -2 },
            new Dictionary<string, object?> { ["\uD800"] = "\uDC00", [""] = new Dictionary<string, object?>(), ["k'\""] = -0.0 },
        ]);

        for (var i = 0; i < 60; i++)
            values.Add(random.Next(4) == 0 ? (object)random.NextInt64(long.MinValue, long.MaxValue) : random.Next(int.MinValue, int.MaxValue));
        for (var i = 0; i < 20; i++)
        {
            var digits = string.Concat(Enumerable.Range(0, random.Next(19, 120)).Select(_ => (char)('0' + random.Next(10))));
            var big = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
            values.Add(random.Next(2) == 0 ? big : -big);
        }

        // Any bit pattern: subnormals, huge and tiny exponents, negative zero and NaNs with payloads.
        for (var i = 0; i < 80; i++)
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)));
        for (var i = 0; i < 20; i++)
            values.Add(Math.Round(random.NextDouble() * 1000, random.Next(0, 6)) * (random.Next(2) == 0 ? 1 : -1));
        for (var i = 0; i < 30; i++)
        {
            var lo = random.Next(int.MinValue, int.MaxValue);
            var mid = random.Next(3) == 0 ? 0 : random.Next(int.MinValue, int.MaxValue);
            var hi = random.Next(3) == 0 ? 0 : random.Next(int.MinValue, int.MaxValue);
            values.Add(new decimal(lo, mid, hi, isNegative: random.Next(2) == 0 && (lo | mid | hi) != 0, scale: (byte)random.Next(0, 29)));
        }

        for (var i = 0; i < 20; i++)
            values.Add(DateOnly.FromDayNumber(random.Next(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber + 1)));
        for (var i = 0; i < 30; i++)
        {
            var utc = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 365 * 200));
            var ticks = random.Next(3) == 0 ? utc.Ticks : utc.Ticks - (utc.Ticks % 10);
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
            values.Add(new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset));
        }

        for (var i = 0; i < 40; i++)
            values.Add(RandomCollection(random, depth: 0));

        return values;
    }

    private static string RandomString(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, 24);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(4))
            {
                case 0:
                    builder.Append(Pieces[random.Next(Pieces.Length)]);
                    break;
                case 1:
                    // Any single UTF-16 code unit, lone surrogates included.
                    builder.Append((char)random.Next(0, 0x10000));
                    break;
                default:
                    builder.Append((char)random.Next(0x20, 0x7F));
                    break;
            }
        }

        return builder.ToString();
    }

    private static object? RandomCollection(Random random, int depth)
    {
        object? Item() => (depth < 3 ? random.Next(7) : random.Next(5)) switch
        {
            0 => RandomString(random),
            1 => random.Next(-1000, 1000),
            2 => BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)),
            3 => random.Next(3) switch { 0 => null, 1 => true, _ => -12.5m },
            4 => new DateOnly(2000, 1, 1).AddDays(random.Next(10000)),
            _ => RandomCollection(random, depth + 1),
        };

        var count = random.Next(0, 5);
        if (random.Next(2) == 0)
            return Enumerable.Range(0, count).Select(_ => Item()).ToList();

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
            map.TryAdd(RandomString(random), Item());
        return map;
    }
}
