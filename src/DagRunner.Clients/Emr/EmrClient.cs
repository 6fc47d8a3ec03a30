using DagRunner.Clients.Http;
using Flurl.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace DagRunner.Clients.Emr;

/// <summary>
/// Amazon EMR's API (JSON 1.1 over HTTPS, Signature V4): clusters and their steps. Reads and
/// idempotent calls are retried on throttling, 5xx and connection failures; <c>RunJobFlow</c> and
/// <c>AddJobFlowSteps</c> are sent once, since a repeat after a lost answer would start a second
/// cluster or step: record the ids they return, and after a lost answer look for the step by name
/// with <see cref="ListStepsAsync"/>.
/// </summary>
public sealed partial class EmrClient : IDisposable
{
    private readonly EmrOptions _options;
    private readonly Uri _endpoint;
    private readonly FlurlClient _http;
    private readonly EmrSigner _signer;
    private readonly EmrCredentialSource _credentials;
    private readonly ResiliencePipeline<EmrAnswer> _retries;

    public EmrClient(EmrOptions options, ILogger<EmrClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _endpoint = options.ResolvedEndpoint;
        // Over the project's HTTP stack (Flurl on HttpClient). Timeouts are ours (EmrOptions.RequestTimeout on the
        // TimeProvider), not HttpClient's or Flurl's; every status is an answer to read, not an exception.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http = new FlurlClient(http) { Settings = { Timeout = null, AllowedHttpStatusRange = "*" } };
        _signer = new EmrSigner(options.Region);
        _credentials = new EmrCredentialSource(options.Credentials, new EmrSigningConfig(options.Region));
        _retries = Retries(options, logger ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>The endpoint every call is POSTed to.</summary>
    public Uri Endpoint => _endpoint;

    /// <summary><c>RunJobFlow</c>: starts a cluster. Sent once, never retried.</summary>
    public Task<EmrRunJobFlowResponse> RunJobFlowAsync(EmrRunJobFlowRequest request, CancellationToken cancellationToken) =>
        CallAsync("RunJobFlow", request, EmrJson.Default.EmrRunJobFlowRequest, EmrJson.Default.EmrRunJobFlowResponse, cancellationToken);

    /// <summary><c>RunJobFlow</c> with a request written as EMR's JSON (a cluster template: instance fleets,
    /// configurations, bootstrap actions, whatever EMR takes). Sent once, never retried.</summary>
    public async Task<EmrRunJobFlowResponse> RunJobFlowAsync(System.Text.Json.Nodes.JsonObject request, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("RunJobFlow", request, EmrJson.Default.JsonObject, EmrJson.Default.EmrRunJobFlowResponse, cancellationToken).ConfigureAwait(false);
        // A success without the cluster's id is an answer that could not be read: EMR started the cluster.
        return string.IsNullOrEmpty(answer.JobFlowId)
            ? throw new EmrException($"EMR RunJobFlow at {_endpoint} answered without a JobFlowId.", "RunJobFlow", 200)
            : answer;
    }

    /// <summary><c>ListClusters</c>: one page of clusters, newest first; pass the page's <see cref="EmrClusterPage.Marker"/>
    /// back for the next. How a caller finds its cluster by name after a lost <c>RunJobFlow</c> answer.</summary>
    public Task<EmrClusterPage> ListClustersAsync(EmrListClustersRequest request, CancellationToken cancellationToken) =>
        CallAsync("ListClusters", request, EmrJson.Default.EmrListClustersRequest, EmrJson.Default.EmrClusterPage, cancellationToken);

    /// <summary><c>DescribeCluster</c>: a cluster's state and addresses.</summary>
    public async Task<EmrCluster> DescribeClusterAsync(string clusterId, CancellationToken cancellationToken) =>
        (await CallAsync("DescribeCluster", new ClusterIdBody(clusterId), EmrJson.Default.ClusterIdBody, EmrJson.Default.DescribeClusterAnswer, cancellationToken).ConfigureAwait(false)).Cluster;

    /// <summary><c>TerminateJobFlows</c>: shuts clusters down (asking twice is harmless, so it is retried).</summary>
    public async Task TerminateJobFlowsAsync(IReadOnlyList<string> clusterIds, CancellationToken cancellationToken) =>
        await CallAsync("TerminateJobFlows", new TerminateJobFlowsBody(clusterIds), EmrJson.Default.TerminateJobFlowsBody, EmrJson.Default.EmptyAnswer, cancellationToken).ConfigureAwait(false);

    /// <summary><c>AddJobFlowSteps</c>: queues steps on a cluster; their ids, in order. Sent once,
    /// never retried.</summary>
    public Task<IReadOnlyList<string>> AddJobFlowStepsAsync(string clusterId, IReadOnlyList<EmrStepConfig> steps, CancellationToken cancellationToken) =>
        AddJobFlowStepsAsync(clusterId, steps, executionRoleArn: null, cancellationToken);

    /// <summary><c>AddJobFlowSteps</c> with the IAM role the steps run as (<c>ExecutionRoleArn</c>). Sent once, never retried.</summary>
    public async Task<IReadOnlyList<string>> AddJobFlowStepsAsync(string clusterId, IReadOnlyList<EmrStepConfig> steps, string? executionRoleArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var ids = (await CallAsync("AddJobFlowSteps", new AddJobFlowStepsBody(clusterId, steps, executionRoleArn), EmrJson.Default.AddJobFlowStepsBody, EmrJson.Default.AddJobFlowStepsAnswer, cancellationToken).ConfigureAwait(false)).StepIds;
        // A success that does not name one step per step asked for is an answer that could not be read: EMR added them.
        if (ids is null || ids.Count != steps.Count || ids.Any(string.IsNullOrEmpty))
            throw new EmrException($"EMR AddJobFlowSteps at {_endpoint} answered with {(ids is null ? "no StepIds" : $"{ids.Count} step id(s)")} for {steps.Count} step(s).", "AddJobFlowSteps", 200);
        return ids;
    }

    /// <summary><c>DescribeStep</c>: a step's state, failure details and timeline.</summary>
    public async Task<EmrStep> DescribeStepAsync(string clusterId, string stepId, CancellationToken cancellationToken) =>
        (await CallAsync("DescribeStep", new StepIdBody(clusterId, stepId), EmrJson.Default.StepIdBody, EmrJson.Default.DescribeStepAnswer, cancellationToken).ConfigureAwait(false)).Step;

    /// <summary><c>ListSteps</c>: one page of a cluster's steps, newest first; pass the page's
    /// <see cref="EmrStepPage.Marker"/> back for the next.</summary>
    public Task<EmrStepPage> ListStepsAsync(EmrListStepsRequest request, CancellationToken cancellationToken) =>
        CallAsync("ListSteps", request, EmrJson.Default.EmrListStepsRequest, EmrJson.Default.EmrStepPage, cancellationToken);

    /// <summary><c>CancelSteps</c>: asks EMR to cancel pending or running steps; what it did with each.</summary>
    public Task<IReadOnlyList<EmrCancelStepsInfo>> CancelStepsAsync(string clusterId, IReadOnlyList<string> stepIds, CancellationToken cancellationToken) =>
        CancelStepsAsync(clusterId, stepIds, cancellationOption: null, cancellationToken);

    /// <summary><c>CancelSteps</c> with <paramref name="cancellationOption"/>: <c>SEND_INTERRUPT</c> (EMR's default) or
    /// <c>TERMINATE_PROCESS</c>.</summary>
    public async Task<IReadOnlyList<EmrCancelStepsInfo>> CancelStepsAsync(string clusterId, IReadOnlyList<string> stepIds, string? cancellationOption, CancellationToken cancellationToken) =>
        (await CallAsync("CancelSteps", new CancelStepsBody(clusterId, stepIds, cancellationOption), EmrJson.Default.CancelStepsBody, EmrJson.Default.CancelStepsAnswer, cancellationToken).ConfigureAwait(false)).CancelStepsInfoList ?? [];

    public void Dispose() => _http.Dispose();

    public override string ToString() => $"EMR at {_endpoint} ({_options.Region})";
}
