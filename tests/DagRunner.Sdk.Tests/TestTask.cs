namespace DagRunner.Sdk.Tests;

/// <summary>The smallest task: does nothing, returns nothing.</summary>
internal sealed class TestTask(string taskId) : DagTask(taskId)
{
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(null);
}
