using DagRunner.Operators.Remote;
using DagRunner.Operators.Ssh;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// Runs <see cref="Command"/> on an SSH host (POSIX shell text, run by <c>/bin/sh</c> there whatever the user's
/// login shell is; the command and its variables go on the shell's standard input, never in a command line
/// others on the host could list), streams its standard output and error into the task log as lines arrive, and fails on a non-zero
/// exit code. The last non-empty line of standard output is the task's output. A timeout or a cancellation
/// ends the command and everything it started on the host. When the connection drops, the task fails saying
/// so: the command's outcome is not known and it may still run there.
/// </summary>
public sealed class SshOperator : DagTask
{
    /// <summary>Creates the task.</summary>
    public SshOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The command, shell text for the remote host, a template. Required.</summary>
    [Templated]
    public string Command { get; set; } = string.Empty;

    /// <summary>Variables exported before the command runs; values are templates.</summary>
    [Templated]
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The SSH host. Default: <c>ssh_default</c>.</summary>
    [Templated]
    public string SshConnectionId { get; set; } = "ssh_default";

    // How long ending the remote command may take after a timeout or a cancellation (TERM, 5 s, KILL).
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        var command = fields.Text(nameof(Command));
        if (string.IsNullOrWhiteSpace(command))
            throw new TaskFailedException($"Task '{TaskId}': SshOperator.Command is empty.");
        var clients = RemoteClients.For(context);
        // Secret-named variables are hidden wherever the command echoes them (env, set -x).
        foreach (var (name, value) in fields.Map(nameof(Environment)).Where(p => SecretMasker.IsSecretName(p.Key)))
            context.Secrets.Add(value);
        return RemoteFailures.AsTaskFailuresAsync(() => RunAsync(SshSettings.From(clients.Connection(fields.Text(nameof(SshConnectionId))!)), SshSubmitHost.Script(fields.Map(nameof(Environment)), command), context, clients.Time, cancellationToken));
    }

    private static async Task<object?> RunAsync(SshSettings settings, string script, TaskContext context, TimeProvider time, CancellationToken cancellationToken)
    {
        var log = context.Log;
        string? last = null;
        var gate = new Lock();
        await using var running = await RemoteCommand.StartAsync(settings, script, (line, stderr) =>
        {
            lock (gate)
            {
                if (!stderr && line.Length > 0)
                    last = line;
                log.WriteLine(line);
            }
        }, log, cancellationToken).ConfigureAwait(false);
        try
        {
            var end = await running.Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (end.Lost is { } lost)
                throw new TaskFailedException($"{lost} The command's outcome is not known; it may still be running on {settings.Host}.");
            if (end.ExitCode != 0)
                throw new TaskFailedException($"The command on {settings.Address} exited with code {end.ExitCode}.");
            lock (gate)
                return last;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A timeout or a cancellation leaves nothing running on the host.
            using var budget = new CancellationTokenSource(StopTimeout, time);
            try
            {
                await running.StopAsync(budget.Token).ConfigureAwait(false);
                log.WriteLine($"Stopped the command (pid {running.Pid} on {settings.Host}) and everything it started.");
            }
            catch (Exception e) when (e is TaskFailedException or OperationCanceledException or Renci.SshNet.Common.SshException)
            {
                log.WriteLine($"Could not stop the command on {settings.Address} ({e.Message}): pid {running.Pid} may still run there.");
            }

            throw;
        }
    }
}
