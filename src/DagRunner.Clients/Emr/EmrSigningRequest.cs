using Amazon.Runtime;

namespace DagRunner.Clients.Emr;

/// <summary>The SDK's <see cref="Amazon.Runtime.Internal.DefaultRequest"/> wants the original service
/// request it was marshalled from; ours is already JSON, so this one carries nothing.</summary>
internal sealed class EmrSigningRequest : AmazonWebServiceRequest;
