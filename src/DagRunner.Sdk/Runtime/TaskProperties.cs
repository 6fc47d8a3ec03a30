using System.Reflection;
using System.Runtime.CompilerServices;

namespace DagRunner.Sdk.Runtime;

/// <summary>
/// The public properties the runner reads from tasks by reflection, found once per task type: the
/// operator's own fields (what a DAG definition stores) and its <see cref="TemplatedAttribute"/> ones
/// (what is rendered before it runs). The one cache that Scripting (definitions) and Operators
/// (templates) both read; here because it is knowledge of the SDK's own <see cref="DagTask"/> and
/// <see cref="TemplatedAttribute"/>, and internal because it is no part of what DAG files compile against.
/// </summary>
internal static class TaskProperties
{
    // Weak keys: operator types that DAG files define themselves must not keep their (collectible)
    // load context alive once it is unloaded.
    private static readonly ConditionalWeakTable<Type, Found> Cache = new();

    /// <summary>The operator's own fields, in name order: the public properties declared below <see cref="DagTask"/>
    /// (so <see cref="Sensor.PokeInterval"/> counts, the task id and settings do not), except delegates, which
    /// cannot be stored and stay on the task object.</summary>
    public static IReadOnlyList<PropertyInfo> OperatorFields(Type type) => Of(type).Own;

    /// <summary>The <see cref="TemplatedAttribute"/> properties of <paramref name="type"/> (inherited ones too), in name order.</summary>
    public static IReadOnlyList<PropertyInfo> Templated(Type type) => Of(type).Templated;

    private static Found Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Cache.GetValue(type, static t =>
        {
            var readable = t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .ToArray();
            return new Found(
                [.. readable.Where(p => p.DeclaringType is { } declaring && declaring != typeof(DagTask) && declaring != typeof(TaskSettings)
                    && declaring.IsSubclassOf(typeof(DagTask)) && !typeof(Delegate).IsAssignableFrom(p.PropertyType))],
                [.. readable.Where(p => p.IsDefined(typeof(TemplatedAttribute), inherit: true))]);
        });
    }

    private sealed record Found(PropertyInfo[] Own, PropertyInfo[] Templated);
}
