using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// The web UI's password hashes: PBKDF2 with HMAC-SHA256, a random 16-byte salt and a 32-byte key, written
/// as <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt, base64&gt;$&lt;key, base64&gt;</c>. The algorithm's name
/// leads the text, so a later format can be told apart and a plain-text password is never mistaken for one.
/// Made by <c>dagrunner web hash-password</c>; checked by the sign-in page in constant time.
/// </summary>
public static class WebPasswordHash
{
    /// <summary>The format's name, the hash's first field.</summary>
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>Iterations of a new hash: 600,000, OWASP's figure for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The fewest iterations a configured hash may have.</summary>
    public const int MinIterations = 10_000;

    private const int MaxIterations = 10_000_000;
    private const int SaltBytes = 16;
    private const int KeyBytes = 32;

    /// <summary>A new hash of <paramref name="password"/> with a fresh salt.</summary>
    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, KeyBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(key));
    }

    /// <summary>Whether <paramref name="password"/> is the one <paramref name="hash"/> was made from; the keys are
    /// compared in constant time. A malformed hash matches nothing.</summary>
    public static bool Verify(string password, string hash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(hash, out var iterations, out var salt, out var expected))
            return false;
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(key, expected);
    }

    /// <summary>Why <paramref name="text"/> is not a hash of this format, or null when it is one.</summary>
    public static string? Problem(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "it is empty";
        if (!text.StartsWith(Scheme + "$", StringComparison.Ordinal))
            return $"it is not a password hash (it does not start with '{Scheme}$'); a plain-text password is refused";
        return TryParse(text, out _, out _, out _)
            ? null
            : $"it is not a well-formed {Scheme} hash ({Scheme}$<iterations, {MinIterations} to {MaxIterations}>$<salt>$<key>, base64)";
    }

    private static bool TryParse(string text, out int iterations, out byte[] salt, out byte[] key)
    {
        (iterations, salt, key) = (0, [], []);
        var parts = text.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
            return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations is < MinIterations or > MaxIterations)
            return false;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            key = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && key.Length >= 16;
    }
}
