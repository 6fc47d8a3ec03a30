namespace DagRunner.Sdk;

/// <summary>
/// Marks an operator property whose string value (or whose strings, for lists and maps) is a
/// Scriban template, rendered against the run's context before the task runs.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class TemplatedAttribute : Attribute
{
}
