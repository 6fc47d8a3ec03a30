using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

namespace DagRunner.Clients.Emr;

/// <summary>The client configuration <see cref="Amazon.Runtime.Internal.Auth.AWS4Signer"/> reads while
/// signing (service and region names). The SDK's own service clients derive one per service; EMR's
/// package is not available here, so this is the EMR one.</summary>
internal sealed class EmrSigningConfig : ClientConfig
{
    public EmrSigningConfig(string region)
        // The defaults (retry mode, timeouts) drive the SDK's pipeline, not signing: one plain set.
        : base(new DefaultConfigurationProvider([new DefaultConfiguration { Name = DefaultConfigurationMode.Standard }]))
    {
        AuthenticationRegion = region;
        AuthenticationServiceName = EmrProtocol.SigningName;
    }

    public override string RegionEndpointServiceName => EmrProtocol.SigningName;

    public override string ServiceVersion => EmrProtocol.ApiVersion;

    public override string UserAgent => "dagrunner";

    // Endpoint rules belong to the SDK's request pipeline, which this client does not use: the
    // endpoint comes from EmrOptions and the signer never asks.
    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
        throw new NotSupportedException("EMR's endpoint comes from EmrOptions.Endpoint.");
}
