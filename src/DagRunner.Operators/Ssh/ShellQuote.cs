namespace DagRunner.Operators.Ssh;

/// <summary>POSIX shell quoting for a command sent over SSH: the remote side hands the command text to the
/// user's shell, so each argument is single-quoted on its own and reaches the program unchanged (spaces,
/// quotes, <c>$</c>, backslashes and newlines included).</summary>
internal static class ShellQuote
{
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    /// <summary>A program's path, quoted, with a leading <c>~/</c> left to the remote shell (<c>"$HOME"/...</c>), as a
    /// connection's <c>spark-submit=~/spark/bin/spark-submit</c> means the remote user's home.</summary>
    public static string Program(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal) ? "\"$HOME\"/" + Quote(path[2..]) : Quote(path);
}
