using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DagRunner.LocalLivy.Wire;

/// <summary>Source-generated serializers for every answer: no reflection on the request path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(BatchView))]
[JsonSerializable(typeof(SessionListView))]
[JsonSerializable(typeof(BatchListView))]
[JsonSerializable(typeof(StateView))]
[JsonSerializable(typeof(LogView))]
[JsonSerializable(typeof(StatementView))]
[JsonSerializable(typeof(StatementListView))]
[JsonSerializable(typeof(MessageView))]
[JsonSerializable(typeof(VersionView))]
[JsonSerializable(typeof(YarnAppEnvelope))]
[JsonSerializable(typeof(YarnAppsEnvelope))]
[JsonSerializable(typeof(YarnStateView))]
[JsonSerializable(typeof(RemoteExceptionEnvelope))]
[JsonSerializable(typeof(SparkApplicationView))]
[JsonSerializable(typeof(IReadOnlyList<SparkApplicationView>))]
[JsonSerializable(typeof(IReadOnlyList<SparkJobView>))]
[JsonSerializable(typeof(SparkJobView))]
[JsonSerializable(typeof(IReadOnlyList<SparkStageView>))]
[JsonSerializable(typeof(SparkStageView))]
[JsonSerializable(typeof(SparkVersionView))]
[JsonSerializable(typeof(FileStatusEnvelope))]
[JsonSerializable(typeof(FileStatusesEnvelope))]
[JsonSerializable(typeof(BooleanView))]
[JsonSerializable(typeof(LocationView))]
[JsonSerializable(typeof(string))]
internal sealed partial class WireJson : JsonSerializerContext
{
    /// <summary>The serializers with Jackson's escaping: <c>'</c>, <c>&lt;</c> and non-ASCII text are
    /// written as they are, as Livy, YARN and Spark write them, not as <c>\u0027</c>.</summary>
    public static WireJson Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
