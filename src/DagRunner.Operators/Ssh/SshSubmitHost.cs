using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DagRunner.Operators.SparkSubmit;
using DagRunner.Operators.SparkSubmit.Launch;
using DagRunner.Sdk;

namespace DagRunner.Operators.Ssh;

/// <summary>spark-submit on an SSH host: the argument list is sent with every argument quoted on its own,
/// the environment exported before it (sent with the script on the shell's standard input, so no command line
/// on the host shows the values), and the command <c>exec</c>'d so the pid the shell printed is spark-submit's.</summary>
internal sealed partial class SshSubmitHost(SshSettings settings, TextWriter log) : ISubmitHost
{
    public string Name => "ssh " + settings.Address;

    public async Task<IRunningSubmit> StartAsync(SparkSubmitCommand command, Action<string> line, CancellationToken cancellationToken) =>
        await RemoteCommand.StartAsync(settings, Script(command.Environment, "exec " + ShellQuote.Program(command.Program) + " " + ShellQuote.Join(command.Arguments)), (text, _) => line(text), log, cancellationToken).ConfigureAwait(false);

    public async Task<bool> StopEarlierAsync(string tag, CancellationToken cancellationToken)
    {
        // Every process whose whole command line (read from /proc: pgrep -f sees only its first 4 KB, and a
        // JVM's classpath comes first) has a spark.yarn.tags=... argument holding the tag. The regex's
        // "[d]agrunner-..." matches the tag but not the grep that carries the pattern.
        var pattern = "spark\\.yarn\\.tags=[^ ]*[" + tag[0] + "]" + tag[1..];
        var text = "[ -r /proc/self/cmdline ] || { echo noproc; exit 0; }\n" +
            "for f in /proc/[0-9]*/cmdline; do p=${f#/proc/}; p=${p%/cmdline}; [ \"$p\" = \"$$\" ] && continue; " +
            $"if tr '\\0' ' ' < \"$f\" 2>/dev/null | grep -q -- {ShellQuote.Quote(pattern)}; then kill -KILL \"$p\" 2>/dev/null && echo stopped; fi; done; true";
        var said = await RemoteCommand.RunAsync(settings, null, text, log, cancellationToken).ConfigureAwait(false);
        if (said.Contains("noproc", StringComparison.Ordinal))
            throw new TaskFailedException($"{settings.Address} has no /proc to look for an earlier spark-submit of this attempt (tag {tag}) in: not submitting again, so the job cannot run twice. Look for it there and clear the task when it is gone.");
        return said.Contains("stopped", StringComparison.Ordinal);
    }

    /// <summary>Shell text that exports <paramref name="environment"/> and then runs <paramref name="command"/>.</summary>
    public static string Script(IEnumerable<KeyValuePair<string, string>> environment, string command)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in environment)
        {
            if (!VariableName().IsMatch(name))
                throw new TaskFailedException($"'{name}' is not an environment variable name a shell can set (letters, digits and _, not starting with a digit).");
            text.Append(name).Append('=').Append(ShellQuote.Quote(value)).Append("; export ").Append(name).Append('\n');
        }

        return text.Append(command).ToString();
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
