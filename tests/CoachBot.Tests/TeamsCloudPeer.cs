using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachBot.Tests;

/// <summary>
/// Microsoft's side of a bot's outbound call, over real HTTPS on 127.0.0.1: Entra's client-credentials token
/// endpoint (what login.microsoftonline.com answers) and the Bot Connector (a Teams service URL). Its certificate
/// is self-signed and written to <see cref="CertificateFile"/>; a host trusts it only when started with
/// <c>SSL_CERT_FILE</c> pointing there, which .NET on Linux reads through OpenSSL at start-up. Nothing in the
/// product bypasses certificate checks for it.
/// </summary>
internal sealed class TeamsCloudPeer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly string _folder;
    private int _tokensIssued;

    private TeamsCloudPeer(WebApplication app, X509Certificate2 certificate, string folder)
    {
        _app = app;
        _certificate = certificate;
        _folder = folder;
        CertificateFile = Path.Combine(folder, "peer-ca.pem");
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
    }

    /// <summary>The login host, for <c>Teams:AuthorityHost</c>: https://127.0.0.1:port.</summary>
    public Uri AuthorityHost { get; private set; } = null!;

    /// <summary>A Teams-like service URL on this peer (the regional path real ones have).</summary>
    public string ServiceUrl => new Uri(AuthorityHost, "amer/").AbsoluteUri;

    /// <summary>The PEM file holding this peer's certificate, for <c>SSL_CERT_FILE</c>.</summary>
    public string CertificateFile { get; }

    /// <summary>Every access token the token endpoint handed out, in order.</summary>
    public ConcurrentQueue<string> IssuedTokens { get; } = new();

    /// <summary>Every token request: the path it went to and its form fields.</summary>
    public ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Form)> TokenRequests { get; } = new();

    /// <summary>Every Bot Connector call answered: method, path, Authorization header and body.</summary>
    public ConcurrentQueue<ConnectorCall> ConnectorCalls { get; } = new();

    public static async Task<TeamsCloudPeer> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("coachbot-teams-cloud-").FullName;
        var certificate = SelfSignedForLoopback();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var peer = new TeamsCloudPeer(app, certificate, folder);
        app.MapPost("/{tenant}/oauth2/v2.0/token", peer.IssueTokenAsync);
        app.MapPost("/amer/v3/conversations/{conversation}/activities/{activity}", peer.AnswerConnectorAsync);
        app.MapPost("/amer/v3/conversations/{conversation}/activities", peer.AnswerConnectorAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        peer.AuthorityHost = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Polls until at least <paramref name="count"/> connector calls were answered.</summary>
    public async Task WaitForConnectorCallsAsync(int count, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ConnectorCalls.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{ConnectorCalls.Count} connector calls, not {count}, after {timeout.TotalSeconds} s. {describe()}");
            }

            await Task.Delay(50);
        }
    }

    private async Task<IResult> IssueTokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        TokenRequests.Enqueue((request.Path.Value!, form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)));

        // Opaque to the bot, as Entra's tokens are to it: it must send back exactly what it was given.
        var token = $"fake-entra-token-{Interlocked.Increment(ref _tokensIssued)}-{Guid.NewGuid():N}";
        IssuedTokens.Enqueue(token);
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["ext_expires_in"] = 3600,
            ["access_token"] = token,
        });
    }

    private async Task<IResult> AnswerConnectorAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())?.AsObject() ?? [];
        ConnectorCalls.Enqueue(new ConnectorCall(request.Method, request.Path.Value!, request.Headers.Authorization.ToString(), body));
        return Results.Json(new JsonObject { ["id"] = "1700000000" + ConnectorCalls.Count });
    }

    private static X509Certificate2 SelfSignedForLoopback()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        // Through PKCS#12 so the private key is usable by Kestrel's TLS on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}

/// <summary>One call the bot made to the Bot Connector.</summary>
internal sealed record ConnectorCall(string Method, string Path, string Authorization, JsonObject Body);
