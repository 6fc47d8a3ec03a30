using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DagRunner.Sdk;

/// <summary>
/// Knows the secret values of a process and hides them, as Airflow's secrets masker does for all
/// log output: everything the runner writes or shows (task logs, errors, run events, the terminal,
/// the run store) passes through <see cref="Mask(string)"/>, so a value registered once is replaced
/// by <c>***</c> wherever it appears, including in what a task printed. The values of parameters
/// and conf entries whose names say they are secret (<see cref="IsSecretName"/>) and connection
/// passwords and tokens are registered by the runner; an operator registers what else it learns
/// through <see cref="TaskContext.Secrets"/>. Thread-safe.
/// </summary>
/// <remarks>
/// Values shorter than <see cref="MinimumLength"/> characters are not registered: masking them
/// would hide ordinary words and numbers all over the text. Each value is also hidden in the forms
/// text commonly carries it: escaped in JSON, URL-encoded, and line by line when it spans lines.
/// A value the job transforms otherwise (base64, upper-cased, split) is not recognised.
/// </remarks>
public sealed class SecretMasker
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Replacement = "***";

    /// <summary>The shortest value that is registered: 5 characters.</summary>
    public const int MinimumLength = 5;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);

    // Copy-on-write, longest first (a form that contains another is replaced whole): Mask reads without a lock.
    private string[] _forms = [];

    /// <summary>How many secret values are registered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _values.Count;
        }
    }

    /// <summary>Registers <paramref name="secret"/>; returns false when it is null, too short or already known.</summary>
    public bool Add(string? secret)
    {
        if (secret is null || secret.Trim().Length < MinimumLength)
            return false;
        lock (_gate)
        {
            if (!_values.Add(secret))
                return false;
            _forms = [.. _forms.Concat(FormsOf(secret)).Where(f => f.Length >= MinimumLength)
                .Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal)];
            return true;
        }
    }

    /// <summary>Registers each of <paramref name="secrets"/>.</summary>
    public void AddRange(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var secret in secrets)
            Add(secret);
    }

    /// <summary>Registers the values of the entries whose names say they are secret, looking into nested maps and lists.</summary>
    public void AddSecretsOf(params IEnumerable<KeyValuePair<string, object?>>[] sources) => AddRange(SecretValuesOf(sources));

    /// <summary>The text with every registered secret replaced by <see cref="Replacement"/>.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        foreach (var form in Volatile.Read(ref _forms))
            text = text.Replace(form, Replacement, StringComparison.Ordinal);
        return text;
    }

    /// <summary>
    /// A JSON document with every secret masked in its strings (and property names); it stays valid
    /// JSON whatever the secrets hold. Text that is not JSON is masked as text.
    /// </summary>
    [return: NotNullIfNotNull(nameof(json))]
    public string? MaskJson(string? json)
    {
        if (string.IsNullOrEmpty(json) || Volatile.Read(ref _forms).Length == 0)
            return json;
        // Masked as text is what people would read, if it still parses (a reader of the store needs that).
        var masked = Mask(json);
        var basis = masked != json && Parses(masked) ? masked : json;

        // The document's own escapes may hide a form from the text (a '+' written \u002B, a JSON string
        // printed by a job and escaped once more): its strings are masked as they read once parsed.
        return SecretJson.MaskStrings(basis, this);
    }

    private static bool Parses(string json)
    {
        try
        {
            using var _ = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="text"/> ends with the start of a secret, so that the next text written
    /// could complete it: a masking writer holds such text back until its line ends.</summary>
    internal bool EndsWithPartOfASecret(ReadOnlySpan<char> text)
    {
        foreach (var form in Volatile.Read(ref _forms))
        {
            for (var length = Math.Min(form.Length - 1, text.Length); length > 0; length--)
            {
                if (text.EndsWith(form.AsSpan(0, length), StringComparison.Ordinal))
                    return true;
            }
        }

        return false;
    }

    /// <summary>A writer that masks what it passes on to <paramref name="inner"/>, line by line.</summary>
    public TextWriter Wrap(TextWriter inner) => new SecretMaskingWriter(inner, this);

    /// <summary>Whether a parameter, conf, header or extra name says its value is secret: it contains
    /// <c>pass</c>/<c>password</c>/<c>passwd</c>, <c>secret</c>, <c>token</c>, <c>api_key</c>, <c>credential</c>,
    /// <c>authorization</c> or <c>private_key</c>, in any case.</summary>
    public static bool IsSecretName(string name) => SecretJson.IsSecretName(name);

    /// <summary>The values of the entries whose names say they are secret, looking into nested maps and lists
    /// (<c>params.databases[0].password</c>).</summary>
    public static IReadOnlyList<string> SecretValuesOf(params IEnumerable<KeyValuePair<string, object?>>[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var secrets = new List<string>();
        foreach (var source in sources)
            SecretJson.Collect(source, secrets, 0);
        return secrets;
    }

    /// <summary>The forms text may carry <paramref name="secret"/> in: as it is, escaped in JSON, URL-encoded
    /// (as a path and as a form value), and each of its lines when it spans several.</summary>
    public static IEnumerable<string> FormsOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        yield return secret;
        yield return JsonEncodedText.Encode(secret).ToString();
        yield return JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        var escaped = Uri.EscapeDataString(secret);
        yield return escaped;
        yield return escaped.Replace("%20", "+", StringComparison.Ordinal);
        // Some encoders leave these unescaped in a query or user info.
        yield return escaped.Replace("%21", "!", StringComparison.Ordinal).Replace("%2A", "*", StringComparison.Ordinal)
            .Replace("%27", "'", StringComparison.Ordinal).Replace("%28", "(", StringComparison.Ordinal).Replace("%29", ")", StringComparison.Ordinal);
        yield return LowerHex(escaped);
        foreach (var line in secret.Split('\n'))
        {
            if (line.TrimEnd('\r') is { } trimmed && trimmed.Trim().Length >= MinimumLength && trimmed.Length < secret.Length)
                yield return trimmed;
        }
    }

    // %2f as well as %2F: both are valid percent-encodings.
    private static string LowerHex(string escaped)
    {
        var chars = escaped.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] != '%')
                continue;
            chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
            chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
        }

        return new string(chars);
    }
}
