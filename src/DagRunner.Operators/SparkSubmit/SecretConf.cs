using DagRunner.Sdk;

namespace DagRunner.Operators.SparkSubmit;

/// <summary>A <c>--conf key=value</c> entry whose key says it is secret (<c>spark.hadoop.fs.s3a.secret.key=...</c>): its
/// value is registered with the masker and shown as <c>***</c>, the key kept. One reading for spark-submit's command
/// and an EMR step's arguments.</summary>
internal static class SecretConf
{
    /// <summary>The secret value of a conf entry, or null when its key is not secret (or it is no <c>key=value</c>).</summary>
    public static string? ValueOf(string entry) =>
        entry.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals && SecretMasker.IsSecretName(entry[..equals]) ? entry[(equals + 1)..] : null;

    /// <summary>The entry with a secret value shown as <c>***</c>; null when it holds no secret.</summary>
    public static string? Masked(string entry) =>
        ValueOf(entry) is { } value ? entry[..(entry.Length - value.Length)] + SecretMasker.Replacement : null;

    /// <summary>The secret values of the <c>--conf</c> entries of an argument list.</summary>
    public static IEnumerable<string> ValuesIn(IReadOnlyList<string> args)
    {
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i - 1] == "--conf" && ValueOf(args[i]) is { } value)
                yield return value;
        }
    }
}
