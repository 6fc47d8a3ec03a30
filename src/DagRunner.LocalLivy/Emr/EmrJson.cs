using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DagRunner.LocalLivy.Emr;

/// <summary>Source-generated serializers for EMR's JSON 1.1 bodies: member names as declared
/// (PascalCase, as EMR spells them), absent members left out.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunJobFlowRequest))]
[JsonSerializable(typeof(DescribeClusterRequest))]
[JsonSerializable(typeof(TerminateJobFlowsRequest))]
[JsonSerializable(typeof(AddJobFlowStepsRequest))]
[JsonSerializable(typeof(DescribeStepRequest))]
[JsonSerializable(typeof(ListStepsRequest))]
[JsonSerializable(typeof(ListClustersRequest))]
[JsonSerializable(typeof(ListClustersResponse))]
[JsonSerializable(typeof(CancelStepsRequest))]
[JsonSerializable(typeof(RunJobFlowResponse))]
[JsonSerializable(typeof(DescribeClusterResponse))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(AddJobFlowStepsResponse))]
[JsonSerializable(typeof(DescribeStepResponse))]
[JsonSerializable(typeof(ListStepsResponse))]
[JsonSerializable(typeof(CancelStepsResponse))]
[JsonSerializable(typeof(ErrorView))]
internal sealed partial class EmrJson : JsonSerializerContext
{
    /// <summary>The serializers with relaxed escaping (text as EMR writes it) and strict reading:
    /// a member of the wrong JSON type is a serialization error, as it is for EMR.</summary>
    public static EmrJson Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
