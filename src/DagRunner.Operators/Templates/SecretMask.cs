using System.Text.Encodings.Web;
using System.Text.Json;
using DagRunner.Templating.Literals;
using System.Text.RegularExpressions;

namespace DagRunner.Operators.Templates;

/// <summary>
/// Hides secret values in text meant for people (logs, previews): the values of parameters and conf
/// entries whose names say they are secret (<c>password</c>, <c>secret</c>, <c>token</c>, <c>api_key</c>,
/// <c>credential</c>, <c>authorization</c>), wherever they appear.
/// </summary>
public sealed partial class SecretMask
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    // Shorter values would mask ordinary words and numbers all over the text.
    private const int MinimumLength = 4;

    private readonly string[] _secrets;

    /// <summary>A mask for the given secret values, in every form text may carry them: as they are,
    /// escaped in JSON, and written by <c>lit</c> in each language.</summary>
    public SecretMask(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = [.. secrets.Where(s => s.Length >= MinimumLength).SelectMany(Forms)
            .Where(s => s.Length >= MinimumLength).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    /// <summary>A mask that hides nothing.</summary>
    public static SecretMask None { get; } = new([]);

    /// <summary>Whether a parameter, conf or header name says its value is secret.</summary>
    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    /// <summary>The secret values among parameters and conf entries (looking into nested maps).</summary>
    public static SecretMask From(params IEnumerable<KeyValuePair<string, object?>>[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var secrets = new List<string>();
        foreach (var source in sources)
            Collect(source, secrets, 0);
        return new SecretMask(secrets);
    }

    /// <summary>A mask that hides this mask's secrets and <paramref name="more"/>.</summary>
    public SecretMask With(IEnumerable<string> more) => new(_secrets.Concat(more));

    /// <summary>The text with every secret replaced by <see cref="Mask"/>.</summary>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }

    private static IEnumerable<string> Forms(string secret)
    {
        yield return secret;
        yield return JsonEncodedText.Encode(secret).ToString();
        yield return JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        foreach (var language in Enum.GetValues<LiteralLanguage>())
        {
            string literal;
            try
            {
                literal = Literal.Write(secret, language);
            }
            catch (LiteralException)
            {
                continue;
            }

            // Without its quotes, so a secret inside a longer literal is found too.
            if (literal.Length >= 2 && literal[0] is '"' or '\'' && literal[^1] == literal[0])
                yield return literal[1..^1];
        }
    }

    private static void Collect(IEnumerable<KeyValuePair<string, object?>> values, List<string> secrets, int depth)
    {
        if (depth > 16)
            return;
        foreach (var (key, value) in values)
        {
            if (IsSecretName(key) && Text(value) is { } text)
                secrets.Add(text);
            else
                CollectNested(value, secrets, depth + 1);
        }
    }

    // Secrets sit in maps, and in maps inside lists (`params.databases[0].password`).
    private static void CollectNested(object? value, List<string> secrets, int depth)
    {
        if (depth > 16)
            return;
        switch (value)
        {
            case IEnumerable<KeyValuePair<string, object?>> map:
                Collect(map, secrets, depth);
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } json:
                Collect(json.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)), secrets, depth);
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } json:
                foreach (var item in json.EnumerateArray())
                    CollectNested(item, secrets, depth + 1);
                break;
            case System.Collections.IEnumerable items and not string:
                foreach (var item in items)
                    CollectNested(item, secrets, depth + 1);
                break;
        }
    }

    private static string? Text(object? value) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString(),
        JsonElement { ValueKind: JsonValueKind.Number } json => json.GetRawText(),
        null => null,
        _ => value.ToString(),
    };

    [GeneratedRegex("pass(word|wd)?|secret|token|api[_-]?key|credential|authorization|private[_-]?key", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
