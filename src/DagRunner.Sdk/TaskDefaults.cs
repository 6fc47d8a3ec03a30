namespace DagRunner.Sdk;

/// <summary>
/// Settings applied to every task of a DAG that does not set its own value
/// (<c>Defaults = { Retries = 1, RetryDelay = TimeSpan.FromSeconds(30) }</c>).
/// See <see cref="TaskSettings"/> for each setting and its built-in default.
/// </summary>
public sealed class TaskDefaults : TaskSettings
{
}
