namespace DagRunner.Operators.Ssh;

/// <summary>POSIX shell quoting for a command sent over SSH: the remote side hands the command text to the
/// user's shell, so each argument is single-quoted on its own and reaches the program unchanged (spaces,
/// quotes, <c>$</c>, backslashes and newlines included).</summary>
internal static class ShellQuote
{
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));
}
