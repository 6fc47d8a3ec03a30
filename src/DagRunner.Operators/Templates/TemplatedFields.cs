using System.Collections;
using DagRunner.Sdk;
using DagRunner.Sdk.Runtime;

namespace DagRunner.Operators.Templates;

/// <summary>
/// The <see cref="TemplatedAttribute"/> properties of a task, with their templates: a string, a list
/// of strings, a map whose values are strings, or a list of parts (an EMR task's steps) whose own
/// <see cref="TemplatedAttribute"/> properties are each of those. The one list that rendering, previews and
/// load-time checks all read.
/// </summary>
public static class TemplatedFields
{
    /// <summary>Each templated field of <paramref name="task"/> and its value as written, in name order.</summary>
    public static IEnumerable<(string Name, object? Value)> Read(DagTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        foreach (var property in TaskProperties.Templated(task.GetType()))
            yield return (property.Name, property.GetValue(task));
    }

    /// <summary>Each templated field of a part (an item of a list field that is not a string), in name order.</summary>
    public static IEnumerable<(string Name, object? Value)> ReadPart(object part)
    {
        ArgumentNullException.ThrowIfNull(part);
        foreach (var property in TaskProperties.Templated(part.GetType()))
            yield return (property.Name, property.GetValue(part));
    }

    /// <summary>Every template string of a field value, with the field's name and index or key (<c>Args[1]</c>,
    /// <c>Conf[spark.x]</c>, <c>Steps[0].Args[1]</c>).</summary>
    public static IEnumerable<(string Where, string Text)> Strings(string name, object? value)
    {
        switch (value)
        {
            case string text:
                yield return (name, text);
                break;
            case IDictionary map:
                foreach (DictionaryEntry entry in map)
                {
                    if (entry.Value is string text)
                        yield return ($"{name}[{entry.Key}]", text);
                }

                break;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                {
                    if (item is string text)
                    {
                        yield return ($"{name}[{i}]", text);
                    }
                    else if (item is not null)
                    {
                        foreach (var (partField, partValue) in ReadPart(item))
                        {
                            foreach (var nested in Strings($"{name}[{i}].{partField}", partValue))
                                yield return nested;
                        }
                    }

                    i++;
                }

                break;
        }
    }
}
