using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DagRunner.Scripting.Definitions;

/// <summary>
/// Serializer options cache what they learn per type, and equivalent options share one cache.
/// A type a DAG file defines (it lives in the file's collectible load context) is serialized
/// with options of its own, with a resolver of its own, so no long-lived cache pins the file.
/// </summary>
internal static class CollectibleTypes
{
    public static JsonSerializerOptions OptionsFor(Type type, JsonSerializerOptions shared)
    {
        if (!IsCollectible(type))
        {
            return shared;
        }

        var resolver = new DefaultJsonTypeInfoResolver();
        if (shared.TypeInfoResolver is DefaultJsonTypeInfoResolver sharedResolver)
        {
            foreach (var modifier in sharedResolver.Modifiers)
            {
                resolver.Modifiers.Add(modifier);
            }
        }

        return new JsonSerializerOptions(shared) { TypeInfoResolver = resolver };
    }

    public static bool IsCollectible(Type type) =>
        type.Assembly.IsCollectible
        || (type.HasElementType && IsCollectible(type.GetElementType()!))
        || type.GenericTypeArguments.Any(IsCollectible);
}
