using System.Text.RegularExpressions;

namespace DagRunner.Sdk;

/// <summary>The rule that DAG ids and task ids follow: <c>[A-Za-z0-9_.-]+</c>, at most 250 characters.</summary>
public static partial class Identifiers
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 250;

    /// <summary>Whether <paramref name="id"/> is a valid DAG or task id.</summary>
    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(id);

    /// <summary>Throws an <see cref="ArgumentException"/> that says what is wrong with <paramref name="id"/>.</summary>
    public static void EnsureValid(string? id, string what, string paramName)
    {
        if (IsValid(id))
        {
            return;
        }

        var shown = id is null ? "null" : $"'{id}'";
        throw new ArgumentException(
            $"Invalid {what} {shown}: ids use only letters, digits, '_', '.' and '-' (at most {MaxLength} characters).",
            paramName);
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
