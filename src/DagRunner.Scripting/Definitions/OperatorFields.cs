using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Sdk;

namespace DagRunner.Scripting.Definitions;

/// <summary>
/// An operator's own fields, read by reflection: the public properties declared below
/// <see cref="DagTask"/> (so <see cref="Sensor.PokeInterval"/> counts, the task id and settings do
/// not), except delegates, which cannot be stored and stay on the task object.
/// </summary>
internal static class OperatorFields
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Cache = new();

    public static ImmutableSortedDictionary<string, JsonElement> Read(DagTask task, Action<string, Exception> onError)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in PropertiesOf(task.GetType()))
        {
            try
            {
                var value = property.GetValue(task);
                if (value is not null)
                {
                    builder[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] =
                        JsonSerializer.SerializeToElement(value, property.PropertyType, DefinitionJson.Options);
                }
            }
            catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or TargetInvocationException)
            {
                onError(property.Name, ex);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Every <see cref="Statement"/> the task holds, in a property of its own or a list of them.</summary>
    public static IEnumerable<Statement> Statements(DagTask task)
    {
        foreach (var property in PropertiesOf(task.GetType()))
        {
            switch (property.GetValue(task))
            {
                case Statement statement:
                    yield return statement;
                    break;
                case IEnumerable<Statement> statements:
                    foreach (var item in statements)
                    {
                        yield return item;
                    }

                    break;
            }
        }
    }

    private static PropertyInfo[] PropertiesOf(Type type) => Cache.GetOrAdd(type, static t =>
        [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Where(p => p.DeclaringType is { } declaring && declaring != typeof(DagTask) && declaring != typeof(TaskSettings)
                && declaring.IsSubclassOf(typeof(DagTask)))
            .Where(p => !typeof(Delegate).IsAssignableFrom(p.PropertyType))
            .OrderBy(p => p.Name, StringComparer.Ordinal)]);
}
