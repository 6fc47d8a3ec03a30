using System.Text.Json.Serialization;

namespace DagRunner.Clients.Emr;

/// <summary>Source-generated JSON for EMR's bodies: members keep their PascalCase names, as EMR's
/// JSON 1.1 protocol spells them, and absent values are left out rather than sent as null.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EmrRunJobFlowRequest))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(EmrListClustersRequest))]
[JsonSerializable(typeof(EmrClusterPage))]
[JsonSerializable(typeof(EmrRunJobFlowResponse))]
[JsonSerializable(typeof(ClusterIdBody))]
[JsonSerializable(typeof(DescribeClusterAnswer))]
[JsonSerializable(typeof(TerminateJobFlowsBody))]
[JsonSerializable(typeof(AddJobFlowStepsBody))]
[JsonSerializable(typeof(AddJobFlowStepsAnswer))]
[JsonSerializable(typeof(StepIdBody))]
[JsonSerializable(typeof(DescribeStepAnswer))]
[JsonSerializable(typeof(EmrListStepsRequest))]
[JsonSerializable(typeof(EmrStepPage))]
[JsonSerializable(typeof(CancelStepsBody))]
[JsonSerializable(typeof(CancelStepsAnswer))]
[JsonSerializable(typeof(EmptyAnswer))]
internal sealed partial class EmrJson : JsonSerializerContext;
