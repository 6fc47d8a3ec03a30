using System.Text.Json.Serialization;
using DagRunner.Clients.Livy;
using DagRunner.Clients.Spark;
using DagRunner.Clients.WebHdfs;
using DagRunner.Clients.Yarn;

namespace DagRunner.Clients.Http;

/// <summary>Source-generated JSON for every model the clients read or write.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(LivyBatch))]
[JsonSerializable(typeof(LivySession))]
[JsonSerializable(typeof(LivyStateAnswer))]
[JsonSerializable(typeof(LivyLogPage))]
[JsonSerializable(typeof(LivyStatement))]
[JsonSerializable(typeof(LivyBatchRequest))]
[JsonSerializable(typeof(LivySessionRequest))]
[JsonSerializable(typeof(LivyStatementRequest))]
[JsonSerializable(typeof(YarnAppAnswer))]
[JsonSerializable(typeof(YarnAppsAnswer))]
[JsonSerializable(typeof(YarnStateRequest))]
[JsonSerializable(typeof(SparkApplication))]
[JsonSerializable(typeof(IReadOnlyList<SparkJob>))]
[JsonSerializable(typeof(HdfsFileStatusAnswer))]
[JsonSerializable(typeof(HdfsFileStatusesAnswer))]
[JsonSerializable(typeof(HdfsBooleanAnswer))]
[JsonSerializable(typeof(HdfsLocationAnswer))]
[JsonSerializable(typeof(IReadOnlyList<SparkStage>))]
[JsonSerializable(typeof(LivyBatchList))]
[JsonSerializable(typeof(LivySessionList))]
internal sealed partial class ClientJson : JsonSerializerContext;
