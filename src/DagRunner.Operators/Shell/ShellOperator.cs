using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// Runs <see cref="Command"/> through the system shell (<c>/bin/sh -c</c>, or <c>cmd.exe /c</c> on
/// Windows), streams its standard output and error into the task log as lines arrive, and fails
/// on a non-zero exit code. The last non-empty line of standard output is the task's output.
/// </summary>
public sealed class ShellOperator : DagTask
{
    /// <summary>Creates the task.</summary>
    public ShellOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The command line, a template. Required.</summary>
    [Templated]
    public string Command { get; set; } = string.Empty;

    /// <summary>The folder the command runs in, a template. Default: the current folder.</summary>
    [Templated]
    public string? WorkingDirectory { get; set; }

    /// <summary>Variables added to the command's environment; values are templates.</summary>
    [Templated]
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <inheritdoc />
    public override async Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        var command = fields.Text(nameof(Command));
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new InvalidOperationException($"Task '{TaskId}': ShellOperator.Command is empty.");
        }

        var workingDirectory = fields.Text(nameof(WorkingDirectory));
        var result = await ShellProcess.RunAsync(command, string.IsNullOrEmpty(workingDirectory) ? null : workingDirectory, fields.Map(nameof(Environment)), context.Log, cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ShellCommandFailedException(TaskId, result.ExitCode);
        }

        return result.LastOutputLine;
    }
}
