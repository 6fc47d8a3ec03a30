using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Sdk;
using DagRunner.Sdk.Runtime;

namespace DagRunner.Scripting.Definitions;

/// <summary>
/// An operator's own fields as a definition stores them: the public properties declared below
/// <see cref="DagTask"/> (so <see cref="Sensor.PokeInterval"/> counts, the task id and settings do not),
/// except delegates, which cannot be stored and stay on the task object; found through the SDK's one
/// cache of task properties (<see cref="TaskProperties"/>).
/// </summary>
internal static class OperatorFields
{
    // One serializer call per task (not one per property) keeps loading 200 files cheap. The
    // values are read by reflection first, so the serializer never sees an operator type a DAG
    // file defines (its caches would keep the file's collectible load context alive).
    public static ImmutableSortedDictionary<string, JsonElement> Read(DagTask task, Action<string, Exception> onError)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in TaskProperties.OperatorFields(task.GetType()))
        {
            try
            {
                if (property.GetValue(task) is { } value)
                {
                    values[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = value;
                }
            }
            catch (TargetInvocationException ex)
            {
                onError(property.Name, ex.InnerException ?? ex);
                return ImmutableSortedDictionary<string, JsonElement>.Empty;
            }
        }

        JsonElement whole;
        try
        {
            // A value of a type the DAG file defines gets options of its own (see CollectibleTypes).
            var options = values.Values.FirstOrDefault(v => v is not null && CollectibleTypes.IsCollectible(v.GetType())) is { } own
                ? CollectibleTypes.OptionsFor(own.GetType(), DefinitionJson.Options)
                : DefinitionJson.Options;
            whole = JsonSerializer.SerializeToElement(values, options);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            ReportFailingField(values, onError, ex);
            return ImmutableSortedDictionary<string, JsonElement>.Empty;
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in whole.EnumerateObject())
        {
            builder[property.Name] = property.Value;
        }

        return builder.ToImmutable();
    }

    // Serializing value by value finds the one that failed, for the error message.
    private static void ReportFailingField(SortedDictionary<string, object?> values, Action<string, Exception> onError, Exception whole)
    {
        foreach (var (name, value) in values)
        {
            try
            {
                JsonSerializer.SerializeToElement(value, DefinitionJson.Options);
            }
            catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
            {
                onError(name, ex);
                return;
            }
        }

        onError("(unknown)", whole);
    }
}
