using DagRunner.Sdk;
using DagRunner.Sdk.Runtime;

namespace DagRunner.Operators;

/// <summary>
/// Runs a C# delegate in process: <c>new CSharpOperator("id", async ctx =&gt; { ... })</c>.
/// A value the delegate returns is the task's output.
/// </summary>
public sealed class CSharpOperator : DagTask
{
    private readonly Func<TaskContext, Task<object?>> _run;

    /// <summary>Runs an asynchronous delegate without an output.</summary>
    public CSharpOperator(string taskId, Func<TaskContext, Task> run)
        : base(taskId)
    {
        ArgumentNullException.ThrowIfNull(run);
        _run = async context =>
        {
            await run(context).ConfigureAwait(false);
            return null;
        };
    }

    /// <summary>Runs an asynchronous delegate whose result is the task's output.</summary>
    public CSharpOperator(string taskId, Func<TaskContext, Task<object?>> run)
        : base(taskId)
    {
        ArgumentNullException.ThrowIfNull(run);
        _run = run;
    }

    /// <summary>Runs a synchronous delegate without an output.</summary>
    public CSharpOperator(string taskId, Action<TaskContext> run)
        : base(taskId)
    {
        ArgumentNullException.ThrowIfNull(run);
        _run = context =>
        {
            run(context);
            return Task.FromResult<object?>(null);
        };
    }

    /// <summary>Runs a synchronous delegate whose result is the task's output.</summary>
    public CSharpOperator(string taskId, Func<TaskContext, object?> run)
        : base(taskId)
    {
        ArgumentNullException.ThrowIfNull(run);
        _run = context => Task.FromResult(run(context));
    }

    /// <inheritdoc />
    public override async Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Script code carries guard checks in its loops; watching the token makes a C# task that
        // spins in a loop stop when the attempt times out or the run is cancelled.
        using var watch = ScriptGuard.Watch(cancellationToken);

        // Run on the pool so a delegate that blocks before its first await cannot hold up the caller.
        return await Task.Run(() => _run(context), cancellationToken).ConfigureAwait(false);
    }
}
