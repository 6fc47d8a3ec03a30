using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.LocalLivy;
using DagRunner.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.Clients.Tests.Http;

/// <summary>TLS options against a LocalLivy serving HTTPS with a certificate of a private CA.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new("clients-tls");
    private LocalLivyServer _server = null!;
    private string _caFile = null!;

    public async ValueTask InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel wants a certificate whose key it can use on every platform: round-trip through PKCS#12.
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        _caFile = _folder.Write("ca.pem", created.ExportCertificatePem());
        _server = await LocalLivyServer.StartAsync(new LocalLivyOptions { Port = 0, JobsRoot = _folder.Path, Certificate = certificate }, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task PrivateCa_Trusted_Answers()
    {
        Assert.Equal("https", _server.BaseUrl.Scheme);

        var sessions = await Client($"{_server.BaseUrl}?ca={Uri.EscapeDataString(_caFile)}").GetSessionAsync("0", TestContext.Current.CancellationToken);

        Assert.Null(sessions);   // a real 404 over TLS: the certificate was accepted
    }

    [Fact]
    public async Task Insecure_SkipsTheCheck()
    {
        Assert.Null(await Client($"{_server.BaseUrl}?insecure=true").GetSessionAsync("0", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UnknownCa_RefusedWithAClearError()
    {
        var error = await Assert.ThrowsAsync<RemoteApiException>(() => Client(_server.BaseUrl.ToString()).GetSessionAsync("0", TestContext.Current.CancellationToken));

        Assert.Contains("GET https://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("SSL", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static LivyClient Client(string uri) =>
        new(new RestTransport(Connection.Parse("livy_default", uri), "Livy", ClientsFixture.FastRetries with { MaxRetries = 1 }, NullLogger.Instance));
}
