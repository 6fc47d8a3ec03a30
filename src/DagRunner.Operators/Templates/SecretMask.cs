using DagRunner.Templating.Literals;
using DagRunner.Sdk;

namespace DagRunner.Operators.Templates;

/// <summary>
/// Hides secret values in previews and in the code a task log shows: the values of parameters and
/// conf entries whose names say they are secret (<see cref="SecretMasker.IsSecretName"/>), in the forms
/// <see cref="SecretMasker"/> knows and as <c>lit</c> writes them in each language. Everything else the
/// runner writes passes through the process's <see cref="SecretMasker"/>.
/// </summary>
public sealed class SecretMask
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    // Shorter values would mask ordinary words and numbers all over the text; the same limit as the
    // process's masker, so a value is hidden in previews exactly when it is in logs.
    private const int MinimumLength = SecretMasker.MinimumLength;

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
    public static bool IsSecretName(string name) => SecretMasker.IsSecretName(name);

    /// <summary>The secret values among parameters and conf entries (looking into nested maps).</summary>
    public static SecretMask From(params IEnumerable<KeyValuePair<string, object?>>[] sources) => new(SecretMasker.SecretValuesOf(sources));

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
        foreach (var form in SecretMasker.FormsOf(secret))
            yield return form;
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
}
