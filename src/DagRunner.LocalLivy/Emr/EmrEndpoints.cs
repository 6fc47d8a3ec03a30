using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.LocalLivy.Emr;

/// <summary>EMR's JSON 1.1 protocol on <c>POST /</c>: the operation is named by the
/// <c>X-Amz-Target: ElasticMapReduce.&lt;Operation&gt;</c> header, as an AWS SDK sends it, so an
/// EMR client whose endpoint is overridden to the server's base URL talks to it unchanged. No Livy,
/// YARN, Spark or WebHDFS route uses <c>POST /</c>.</summary>
internal static class EmrEndpoints
{
    public const string TargetPrefix = "ElasticMapReduce.";
    private const string ContentType = "application/x-amz-json-1.1";
    private const int MaxBody = 1 << 20;

    private delegate byte[] Operation(EmrService emr, ReadOnlyMemory<byte> body);

    private static readonly Dictionary<string, Operation> Operations = new(StringComparer.Ordinal)
    {
        ["RunJobFlow"] = Bind(EmrJson.Wire.RunJobFlowRequest, EmrJson.Wire.RunJobFlowResponse, (emr, r) => emr.RunJobFlow(r)),
        ["DescribeCluster"] = Bind(EmrJson.Wire.DescribeClusterRequest, EmrJson.Wire.DescribeClusterResponse, (emr, r) => emr.DescribeCluster(r)),
        ["ListClusters"] = Bind(EmrJson.Wire.ListClustersRequest, EmrJson.Wire.ListClustersResponse, (emr, r) => emr.ListClusters(r)),
        ["TerminateJobFlows"] = Bind(EmrJson.Wire.TerminateJobFlowsRequest, EmrJson.Wire.EmptyResponse, (emr, r) => emr.TerminateJobFlows(r)),
        ["AddJobFlowSteps"] = Bind(EmrJson.Wire.AddJobFlowStepsRequest, EmrJson.Wire.AddJobFlowStepsResponse, (emr, r) => emr.AddJobFlowSteps(r)),
        ["DescribeStep"] = Bind(EmrJson.Wire.DescribeStepRequest, EmrJson.Wire.DescribeStepResponse, (emr, r) => emr.DescribeStep(r)),
        ["ListSteps"] = Bind(EmrJson.Wire.ListStepsRequest, EmrJson.Wire.ListStepsResponse, (emr, r) => emr.ListSteps(r)),
        ["CancelSteps"] = Bind(EmrJson.Wire.CancelStepsRequest, EmrJson.Wire.CancelStepsResponse, (emr, r) => emr.CancelSteps(r)),
    };

    public static void Map(IEndpointRouteBuilder routes, EmrService emr, EmrFaults faults) =>
        routes.MapPost("/", (HttpContext context) => HandleAsync(context, emr, faults));

    private static async Task HandleAsync(HttpContext context, EmrService emr, EmrFaults faults)
    {
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        try
        {
            var operation = Route(context.Request);
            var fault = faults.Take(operation.Name);
            if (fault == EmrFault.Throttle)
                throw new EmrException("ThrottlingException", "Rate exceeded");
            if (fault == EmrFault.ServerError)
                throw new EmrException("InternalServerError", "LocalLivy injected an internal error (faults.Emr)", StatusCodes.Status500InternalServerError);

            var body = await ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            var answer = operation.Run(emr, body);
            if (fault == EmrFault.DropAnswer)
            {
                context.Abort();
                return;
            }

            await WriteAsync(context, StatusCodes.Status200OK, answer).ConfigureAwait(false);
        }
        catch (EmrException e)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A bug of ours still answers in EMR's shape, so an SDK reports it as the service's 500.
            var error = new EmrException("InternalServerError", $"LocalLivy failed: {e.GetType().Name}: {e.Message}", StatusCodes.Status500InternalServerError);
            await WriteErrorAsync(context, error).ConfigureAwait(false);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, EmrException error)
    {
        context.Response.Headers["x-amzn-ErrorType"] = error.Type;
        return WriteAsync(context, error.Status, JsonSerializer.SerializeToUtf8Bytes(new ErrorView(error.Type, error.Message), EmrJson.Wire.ErrorView));
    }

    // The signature first, as AWS checks it before it looks at what is asked.
    private static (string Name, Operation Run) Route(HttpRequest request)
    {
        if (SigV4Header.Check(request) is { } unsigned)
            throw unsigned;
        var target = request.Headers["X-Amz-Target"].ToString();
        var name = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : null;
        if (name is null || !Operations.TryGetValue(name, out var run))
            throw new EmrException("UnknownOperationException", $"Unknown operation '{target}'.");
        if (request.ContentType?.Split(';')[0].Trim() != ContentType)
            throw new EmrException("SerializationException", $"The content type must be {ContentType} (got '{request.ContentType}').");
        return (name, run);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length > MaxBody)
            throw EmrException.Validation($"The request body is larger than {MaxBody} bytes.");
        return buffer.Length == 0 ? "{}"u8.ToArray() : buffer.ToArray();
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static Operation Bind<TRequest, TResponse>(JsonTypeInfo<TRequest> request, JsonTypeInfo<TResponse> response, Func<EmrService, TRequest, TResponse> run) =>
        (emr, body) =>
        {
            TRequest? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(body.Span, request);
            }
            catch (JsonException e)
            {
                throw new EmrException("SerializationException", "The request body is not valid: " + e.Message);
            }

            if (parsed is null)
                throw new EmrException("SerializationException", "The request body must be a JSON object.");
            return JsonSerializer.SerializeToUtf8Bytes(run(emr, parsed), response);
        };
}
