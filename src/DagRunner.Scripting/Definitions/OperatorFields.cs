using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DagRunner.Engine.Definitions;
using DagRunner.Sdk;

namespace DagRunner.Scripting.Definitions;

/// <summary>
/// An operator's own fields: the public properties declared below <see cref="DagTask"/> (so
/// <see cref="Sensor.PokeInterval"/> counts, the task id and settings do not), except delegates,
/// which cannot be stored and stay on the task object.
/// </summary>
internal static class OperatorFields
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Cache = new();

    // One serializer call per task (not one per property) keeps loading 200 files cheap.
    private static readonly JsonSerializerOptions FieldOptions = new(DefinitionJson.Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { KeepOperatorFieldsOnly } },
    };

    public static ImmutableSortedDictionary<string, JsonElement> Read(DagTask task, Action<string, Exception> onError)
    {
        JsonElement whole;
        try
        {
            whole = JsonSerializer.SerializeToElement(task, task.GetType(), FieldOptions);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            ReportFailingField(task, onError, ex);
            return ImmutableSortedDictionary<string, JsonElement>.Empty;
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in whole.EnumerateObject())
        {
            builder[property.Name] = property.Value;
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

    private static void KeepOperatorFieldsOnly(JsonTypeInfo info)
    {
        if (!info.Type.IsSubclassOf(typeof(DagTask)))
        {
            return;
        }

        var keep = PropertiesOf(info.Type).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].AttributeProvider is not MemberInfo member || !keep.Contains(member.Name))
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    // Serializing property by property finds the one that failed, for the error message.
    private static void ReportFailingField(DagTask task, Action<string, Exception> onError, Exception whole)
    {
        foreach (var property in PropertiesOf(task.GetType()))
        {
            try
            {
                JsonSerializer.SerializeToElement(property.GetValue(task), property.PropertyType, DefinitionJson.Options);
            }
            catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
            {
                onError(property.Name, ex);
                return;
            }
        }

        onError("(unknown)", whole);
    }

    private static PropertyInfo[] PropertiesOf(Type type) => Cache.GetOrAdd(type, static t =>
        [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Where(p => p.DeclaringType is { } declaring && declaring != typeof(DagTask) && declaring != typeof(TaskSettings)
                && declaring.IsSubclassOf(typeof(DagTask)))
            .Where(p => !typeof(Delegate).IsAssignableFrom(p.PropertyType))
            .OrderBy(p => p.Name, StringComparer.Ordinal)]);
}
