using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using DagRunner.Sdk;
using Microsoft.AspNetCore.Http;

namespace DagRunner.Web.Api;

/// <summary>
/// An API answer as JSON with every string value passed through the process's masker before it is
/// written, streamed to the response. The same values hidden as masking the whole text afterwards, without
/// building the text three times (serialized, masked, parsed and masked again): <c>GET /api/dags</c> is a
/// few hundred KB for 200 DAGs.
/// </summary>
internal static class MaskedJson
{
    private static readonly JsonSerializerOptions Plain = new(JsonSerializerDefaults.Web);

    // One set of options per masker (one per process), so the serializer's metadata is built once.
    private static readonly ConditionalWeakTable<SecretMasker, JsonSerializerOptions> OptionsByMasker = [];

    /// <summary>The answer, its strings masked, with <paramref name="status"/>.</summary>
    public static IResult Result(SecretMasker secrets, object answer, int status = StatusCodes.Status200OK) =>
        Results.Json(answer, OptionsByMasker.GetValue(secrets, Create), statusCode: status);

    private static JsonSerializerOptions Create(SecretMasker secrets)
    {
        var options = new JsonSerializerOptions(Plain) { Converters = { new MaskingStrings(secrets) } };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class MaskingStrings(SecretMasker secrets) : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(secrets.Mask(value));
    }
}
