using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DagRunner.Clients.Connections;
using Flurl.Http;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace DagRunner.Clients.Http;

/// <summary>
/// HTTP to one connection: its base URL and path prefix, auth, TLS options and extra headers, and
/// <c>X-Requested-By</c> on every request. GETs are retried on connection errors, timeouts, 429 and
/// 5xx with jittered exponential backoff inside a total budget; other methods are sent once, since
/// a POST that is blindly repeated can submit a job twice. Answers that are not what the API
/// documents become <see cref="RemoteApiException"/>s quoting what came back.
/// </summary>
public sealed class RestTransport : IDisposable
{
    private readonly FlurlClient _client;
    private readonly ResiliencePipeline<IFlurlResponse> _retries;
    private readonly string _service;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeSpan _retryBudget;

    public RestTransport(Connection connection, string service, ClientOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        Connection = connection;
        _service = service;
        if (connection.Insecure)
            logger.InsecureConnection(connection.Id, connection.ToString());

        var http = new HttpClient(Handler(connection), disposeHandler: true) { Timeout = options.RequestTimeout };
        var headers = http.DefaultRequestHeaders;
        headers.Add("X-Requested-By", options.RequestedBy);
        headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in connection.Headers)
            headers.TryAddWithoutValidation(name, value);
        headers.Authorization = connection.Auth switch
        {
            ConnectionAuth.Basic => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{connection.UserName}:{connection.Password}"))),
            ConnectionAuth.Bearer => new AuthenticationHeaderValue("Bearer", connection.Token),
            _ => null,
        };
        // Flurl keeps a timeout of its own (100 s by default) beside HttpClient's: one setting rules both.
        _client = new FlurlClient(http, connection.BaseUri.ToString()) { Settings = { Timeout = options.RequestTimeout } };
        _requestTimeout = options.RequestTimeout;
        _retryBudget = options.RetryBudget;
        _retries = Retries(options, logger, service);
    }

    /// <summary>The connection this transport talks to.</summary>
    public Connection Connection { get; }

    /// <summary>GET with retries; the answer's status and body, whatever the status.</summary>
    public async Task<RestAnswer> GetAsync(IEnumerable<object> segments, IEnumerable<(string Name, object? Value)> query, CancellationToken cancellationToken)
    {
        var request = Request(segments, query);
        IFlurlResponse response;
        try
        {
            response = await _retries.ExecuteAsync(
                async token => await request.SendAsync(HttpMethod.Get, cancellationToken: token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutRejectedException or FlurlHttpException or OperationCanceledException)
        {
            throw Unanswered("GET", request.Url.ToString(), e, cancellationToken);
        }

        return await AnswerAsync("GET", request.Url.ToString(), response).ConfigureAwait(false);
    }

    /// <summary>Sends once (no retry), with an optional JSON body.</summary>
    public async Task<RestAnswer> SendAsync<TBody>(HttpMethod method, IEnumerable<object> segments, IEnumerable<(string Name, object? Value)> query, TBody? body, JsonTypeInfo<TBody>? bodyType, CancellationToken cancellationToken)
    {
        var request = Request(segments, query);
        HttpContent? content = body is null || bodyType is null
            ? null
            : new StringContent(JsonSerializer.Serialize(body, bodyType), Encoding.UTF8, "application/json");
        IFlurlResponse response;
        try
        {
            response = await request.SendAsync(method, content, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FlurlHttpException or OperationCanceledException)
        {
            throw Unanswered(method.Method, request.Url.ToString(), e, cancellationToken);
        }

        return await AnswerAsync(method.Method, request.Url.ToString(), response).ConfigureAwait(false);
    }

    /// <summary>Any call, to <paramref name="endpoint"/> (relative to the connection's URL, with its
    /// query, or absolute): what an HTTP task sends. GETs are retried like every GET; the rest is sent once.</summary>
    public async Task<RestAnswer> CallAsync(HttpMethod method, string endpoint, string? body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(headers);
        var url = System.Uri.TryCreate(endpoint, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute
            : new Uri(Connection.BaseUri, endpoint.TrimStart('/'));
        // The connection's credentials and headers go only to the connection's own host.
        if (!string.Equals(url.Authority, Connection.BaseUri.Authority, StringComparison.OrdinalIgnoreCase))
            throw new RemoteApiException($"{_service}: {url.GetLeftPart(UriPartial.Authority)} is not the host of connection '{Connection.Id}' ({Connection.BaseUri.Authority}); its credentials are not sent elsewhere.");
        IFlurlRequest Build()
        {
            var request = _client.Request(url.ToString()).AllowAnyHttpStatus();
            foreach (var (name, value) in headers.Where(h => !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
                request = request.WithHeader(name, value);
            return request;
        }

        HttpContent? Content() => body is null
            ? null
            : new StringContent(body, Encoding.UTF8, headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value ?? "text/plain");

        IFlurlResponse response;
        try
        {
            response = method == HttpMethod.Get
                ? await _retries.ExecuteAsync(async token => await Build().SendAsync(method, Content(), cancellationToken: token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
                : await Build().SendAsync(method, Content(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutRejectedException or FlurlHttpException or OperationCanceledException)
        {
            throw Unanswered(method.Method, url.ToString(), e, cancellationToken);
        }

        return await AnswerAsync(method.Method, url.ToString(), response).ConfigureAwait(false);
    }

    /// <summary>The JSON of a successful answer as <typeparamref name="T"/>, or a clear error quoting it.</summary>
    public T Read<T>(RestAnswer answer, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Status is < 200 or >= 300)
            throw Failure(answer);
        try
        {
            return JsonSerializer.Deserialize(answer.Body, type)
                ?? throw new JsonException("the body is JSON null");
        }
        catch (JsonException e)
        {
            throw new RemoteApiException(
                $"{_service}: {answer.Method} {answer.Url} answered {answer.Status} with a body that is not the documented JSON ({e.Message}): {ErrorBodies.Shorten(answer.Body)}",
                answer.Status, inner: e);
        }
    }

    /// <summary>The error for an answer with an error status, with the server's own message.</summary>
    public RemoteApiException Failure(RestAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var detail = ErrorBodies.Describe(answer.Body);
        return new RemoteApiException($"{_service}: {answer.Method} {answer.Url} answered {answer.Status}: {detail}", answer.Status, detail);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A duration as the messages show it: <c>100 s</c>, <c>0.5 s</c>.</summary>
    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    // Why a call got no answer, told apart: the caller cancelled (a cancellation, said as such), one
    // request outlived RequestTimeout, the retries outlived RetryBudget, or the connection failed.
    // "The operation was canceled." alone never says which wait ran out.
    private Exception Unanswered(string method, string url, Exception e, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return new OperationCanceledException($"{_service}: {method} {url} was cancelled.", e, cancellationToken);
        return e switch
        {
            TimeoutRejectedException => new RemoteApiException(
                $"{_service}: {method} {url} got no usable answer within {Seconds(_retryBudget)} (ClientOptions.RetryBudget), retries included.", inner: e),
            FlurlHttpTimeoutException or OperationCanceledException or FlurlHttpException { InnerException: TaskCanceledException or TimeoutException } => new RemoteApiException(
                $"{_service}: {method} {url} got no answer within {Seconds(_requestTimeout)} (ClientOptions.RequestTimeout).", inner: e),
            _ => new RemoteApiException($"{_service}: {method} {url} failed: {e.InnerException?.Message ?? e.Message}", inner: e),
        };
    }

    private IFlurlRequest Request(IEnumerable<object> segments, IEnumerable<(string Name, object? Value)> query)
    {
        var request = _client.Request(segments.ToArray()).AllowAnyHttpStatus();
        foreach (var (name, value) in query)
        {
            if (value is not null)
                request = request.AppendQueryParam(name, value);
        }

        return request;
    }

    private static async Task<RestAnswer> AnswerAsync(string method, string url, IFlurlResponse response)
    {
        using (response)
        {
            var body = await response.GetStringAsync().ConfigureAwait(false);
            var message = response.ResponseMessage;
            var headers = message.Headers.Concat(message.Content.Headers)
                .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
            return new RestAnswer(method, url, response.StatusCode, body, message.Content.Headers.ContentType?.MediaType) { Headers = headers };
        }
    }

    private static SocketsHttpHandler Handler(Connection connection)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = true, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (connection.Auth == ConnectionAuth.Negotiate)
            handler.Credentials = CredentialCache.DefaultNetworkCredentials;
        if (connection.Insecure)
        {
            // The user's explicit insecure=true, warned about when the transport is made.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (connection.CaCertificateFile is { } caFile)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            // The private CA replaces the chain check only: the name must still match, and the
            // certificate must be presented.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None ||
                (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && ChainsTo(certificate, authorities));
        }

        return handler;
    }

    private static bool ChainsTo(X509Certificate certificate, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static ResiliencePipeline<IFlurlResponse> Retries(ClientOptions options, ILogger logger, string service) =>
        new ResiliencePipelineBuilder<IFlurlResponse> { TimeProvider = options.TimeProvider }
            .AddTimeout(options.RetryBudget)
            .AddRetry(new RetryStrategyOptions<IFlurlResponse>
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = new PredicateBuilder<IFlurlResponse>()
                    .Handle<FlurlHttpException>()
                    .HandleResult(response => response.StatusCode is 429 or >= 500),
                OnRetry = arguments =>
                {
                    var why = arguments.Outcome.Exception?.Message ?? $"status {arguments.Outcome.Result?.StatusCode}";
                    arguments.Outcome.Result?.Dispose();
                    logger.Retrying(service, why, arguments.AttemptNumber + 1, arguments.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
