using Amazon.Runtime;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DagRunner.Clients.Http;
using Flurl.Http;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace DagRunner.Clients.Emr;

// One call: serialize, then per attempt resolve credentials, sign with the attempt's own date, POST,
// and read the answer; retries only where EmrRetryRules allows.
public sealed partial class EmrClient
{
    private async Task<TAnswer> CallAsync<TBody, TAnswer>(string operation, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TAnswer> answerType, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
        var pipeline = EmrRetryRules.MayRetry(operation) ? _retries : ResiliencePipeline<EmrAnswer>.Empty;
        EmrAnswer answer;
        try
        {
            answer = await pipeline.ExecuteAsync(
                async token => await AttemptAsync(operation, bytes, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"EMR {operation} at {_endpoint} was cancelled.", e, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            throw new EmrException($"EMR {operation} at {_endpoint} got no answer: {e.Message}", operation, inner: e);
        }

        if (!answer.IsSuccess)
            throw Failure(operation, answer);
        try
        {
            // An operation without output (TerminateJobFlows) may answer 200 with an empty body.
            var text = string.IsNullOrWhiteSpace(answer.Body) ? "{}" : answer.Body;
            return JsonSerializer.Deserialize(text, answerType) ?? throw new JsonException("the body is JSON null");
        }
        catch (JsonException e)
        {
            throw new EmrException(
                $"EMR {operation} at {_endpoint} answered {answer.Status} with a body that is not the documented JSON ({e.Message}): {ErrorBodies.Shorten(answer.Body)}",
                operation, answer.Status, inner: e);
        }
    }

    private async Task<EmrAnswer> AttemptAsync(string operation, byte[] body, CancellationToken cancellationToken)
    {
        var credentials = await _credentials.GetAsync(operation, cancellationToken).ConfigureAwait(false);
        var headers = _signer.Sign(_endpoint, operation, body, credentials, _options.TimeProvider.GetUtcNow());
        // Exactly the signed headers go out (the signature covers them); Content-Type travels with the content.
        var request = _http.Request(_endpoint.AbsoluteUri);
        using var content = new ByteArrayContent(body);
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            else
                request = request.WithHeader(name, value);
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await SendAsync(request, content, linked.Token).ConfigureAwait(false);
            // An answer may quote what was signed (InvalidSignatureException's canonical request holds the session
            // token): nothing of the credentials goes further than this line.
            var text = Scrub(await response.ResponseMessage.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false), credentials);
            var status = response.StatusCode;
            var errorType = response.Headers.TryGetFirst("x-amzn-ErrorType", out var value) ? value : null;
            return new EmrAnswer(status, text, status is >= 200 and < 300 ? null : EmrErrors.Parse(text, errorType));
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {RestTransport.Seconds(_options.RequestTimeout)} (EmrOptions.RequestTimeout)", e);
        }
    }

    // Flurl wraps what went wrong in a FlurlHttpException: a cancelled send comes out as the cancellation it is (so the
    // timeout and the caller's cancellation are told apart), a failed connection as the HttpRequestException it is
    // (retried). The wrapper is dropped: it holds the request, signed headers and session token included.
    private static async Task<IFlurlResponse> SendAsync(IFlurlRequest request, HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            return await request.PostAsync(content, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (FlurlHttpException e) when (e.InnerException is OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("EMR's answer was not waited for.", e.InnerException as OperationCanceledException, cancellationToken);
        }
        catch (FlurlHttpException e) when (e.InnerException is HttpRequestException or IOException)
        {
            throw e.InnerException is HttpRequestException connection ? new HttpRequestException(connection.Message, connection.InnerException) : new HttpRequestException(e.InnerException.Message, e.InnerException);
        }
        catch (FlurlHttpException e)
        {
            throw new InvalidOperationException($"EMR could not be sent the request: {e.InnerException?.Message ?? e.Message}");
        }
    }

    private static string Scrub(string text, ImmutableCredentials credentials)
    {
        foreach (var secret in new[] { credentials.SecretKey, credentials.Token })
        {
            if (!string.IsNullOrEmpty(secret))
                text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private EmrException Failure(string operation, EmrAnswer answer)
    {
        var code = answer.Error?.Code;
        var message = answer.Error?.Message;
        var what = (code, message) switch
        {
            (not null, not null) => $"{code}: {message}",
            (not null, null) => $"{code}: {ErrorBodies.Describe(answer.Body)}",
            _ => message ?? ErrorBodies.Describe(answer.Body),
        };
        return new EmrException($"EMR {operation} at {_endpoint} answered {answer.Status}: {what}", operation, answer.Status, code, message);
    }

    private static ResiliencePipeline<EmrAnswer> Retries(EmrOptions options, ILogger logger)
    {
        if (options.MaxRetries == 0)
            return ResiliencePipeline<EmrAnswer>.Empty;
        return new ResiliencePipelineBuilder<EmrAnswer> { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions<EmrAnswer>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = new PredicateBuilder<EmrAnswer>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutException>()
                    .HandleResult(EmrRetryRules.IsRetryable),
                OnRetry = arguments =>
                {
                    // The reason is a status and an error code or a connection error: never a header or a key.
                    var why = arguments.Outcome.Exception?.Message ?? $"status {arguments.Outcome.Result?.Status} {arguments.Outcome.Result?.Error?.Code}";
                    logger.Retrying("EMR", why, arguments.AttemptNumber + 1, arguments.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
