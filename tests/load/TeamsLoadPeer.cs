// Microsoft's side of a Teams load run, as a file-based app:
//   dotnet run tests/load/TeamsLoadPeer.cs -- <port> <outputFolder> <appId>
// On https://127.0.0.1:<port>, with a self-signed certificate, it serves what the bot talks to:
//   - the Bot Framework's OpenID metadata and key set (an RSA key endorsed for msteams);
//   - Entra's client-credentials token endpoint (POST /{tenant}/oauth2/v2.0/token), for Teams:AuthorityHost;
//   - the Bot Connector under the service URL https://127.0.0.1:<port>/amer/, counting every reply it is sent.
// Into <outputFolder> it writes: token.txt (a valid channel token for <appId>, one hour, whose serviceurl claim is the
// service URL above), body.json (a message activity with that serviceUrl; teams-activity.lua varies its activity and
// conversation ids), ca.pem (the certificate, for the host's SSL_CERT_FILE), metadata-url.txt, authority-host.txt,
// pid (its own process id: `dotnet run` runs it as a child) and, last, ready. GET /stats answers the reply counts as JSON; GET /replied-ids lists every replied-to activity id, one a
// line. It serves until killed (teams-load.sh stops it by its process id).
#:sdk Microsoft.NET.Sdk.Web
// Not trimmed or compiled ahead of time: it is a test peer, and Results.Json over JsonObject uses reflection.
#:property PublishAot=false

using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

if (args.Length != 3 || !int.TryParse(args[0], out var port))
{
    Console.Error.WriteLine("usage: dotnet run tests/load/TeamsLoadPeer.cs -- <port> <outputFolder> <appId>");
    return 2;
}

var output = Directory.CreateDirectory(args[1]).FullName;
var appId = args[2];
var baseUrl = $"https://127.0.0.1:{port}/";
var serviceUrl = baseUrl + "amer/";
const string Kid = "load-key";

using var rsa = RSA.Create(2048);
var publicKey = rsa.ExportParameters(includePrivateParameters: false);
var keys = new JsonObject
{
    ["keys"] = new JsonArray(new JsonObject
    {
        ["kty"] = "RSA",
        ["use"] = "sig",
        ["kid"] = Kid,
        ["n"] = Base64Url(publicKey.Modulus!),
        ["e"] = Base64Url(publicKey.Exponent!),
        ["endorsements"] = new JsonArray("msteams"),
    }),
}.ToJsonString();
var metadata = new JsonObject
{
    ["issuer"] = "https://api.botframework.com",
    ["authorization_endpoint"] = "https://invalid.example/authorize",
    ["jwks_uri"] = baseUrl + "v1/.well-known/keys",
    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
    ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
}.ToJsonString();

var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = Kid };
var payload = new JsonObject
{
    ["iss"] = "https://api.botframework.com",
    ["aud"] = appId,
    ["serviceurl"] = serviceUrl,
    ["nbf"] = now,
    ["iat"] = now,
    ["exp"] = now + 3600,
};
var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
var token = signingInput + "." + Base64Url(signature);

// The ids teams-activity.lua replaces: "load-0000000000" (the activity) and "a:load-chat" (the conversation).
var body = new JsonObject
{
    ["type"] = "message",
    ["id"] = "load-0000000000",
    ["text"] = "What does your purchasing process look like?",
    ["channelId"] = "msteams",
    ["serviceUrl"] = serviceUrl,
    ["from"] = new JsonObject { ["id"] = "29:load-user", ["aadObjectId"] = "00000000-0000-0000-0000-0000000000aa" },
    ["recipient"] = new JsonObject { ["id"] = "28:" + appId, ["name"] = "CoachBot" },
    ["conversation"] = new JsonObject { ["id"] = "a:load-chat", ["conversationType"] = "personal", ["tenantId"] = "load-tenant" },
    ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "load-tenant" } },
}.ToJsonString();

using var certificate = SelfSignedForLoopback();
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
var app = builder.Build();

// Replies by the activity they answer: a count above one is a double.
var repliesTo = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
long replies = 0, tokenRequests = 0, otherCalls = 0;
var authorizationMismatches = 0L;
var issuedTokens = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);

app.MapGet("/v1/.well-known/openidconfiguration", () => Results.Text(metadata, "application/json"));
app.MapGet("/v1/.well-known/keys", () => Results.Text(keys, "application/json"));
app.MapPost("/{tenant}/oauth2/v2.0/token", () =>
{
    Interlocked.Increment(ref tokenRequests);
    var issued = $"load-entra-token-{Guid.NewGuid():N}";
    issuedTokens[issued] = 0;
    return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3600, ["ext_expires_in"] = 3600, ["access_token"] = issued });
});
app.MapPost("/amer/v3/conversations/{conversation}/activities/{activity}", (HttpRequest request, string activity) =>
{
    // The body is not read: the count is of calls the bot made, and Kestrel discards what is left.
    var authorization = request.Headers.Authorization.ToString();
    if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !issuedTokens.ContainsKey(authorization["Bearer ".Length..]))
    {
        Interlocked.Increment(ref authorizationMismatches);
    }

    Interlocked.Increment(ref replies);
    repliesTo.AddOrUpdate(activity, 1, static (_, n) => n + 1);
    return Results.Text("""{"id":"1700000000000"}""", "application/json");
});
app.MapPost("/amer/v3/conversations/{**rest}", () =>
{
    Interlocked.Increment(ref otherCalls);
    return Results.Text("""{"id":"1700000000001"}""", "application/json");
});
app.MapGet("/stats", () => Results.Json(new JsonObject
{
    ["token_requests"] = Interlocked.Read(ref tokenRequests),
    ["replies"] = Interlocked.Read(ref replies),
    ["distinct_reply_to"] = repliesTo.Count,
    ["doubles"] = repliesTo.Count(r => r.Value > 1),
    ["replies_without_an_issued_token"] = Interlocked.Read(ref authorizationMismatches),
    ["other_connector_calls"] = Interlocked.Read(ref otherCalls),
}));
app.MapGet("/replied-ids", () => Results.Text(string.Join('\n', repliesTo.Keys) + "\n", "text/plain"));

await app.StartAsync();
File.WriteAllText(Path.Combine(output, "token.txt"), token);
File.WriteAllText(Path.Combine(output, "body.json"), body);
File.WriteAllText(Path.Combine(output, "ca.pem"), certificate.ExportCertificatePem());
File.WriteAllText(Path.Combine(output, "metadata-url.txt"), baseUrl + "v1/.well-known/openidconfiguration");
File.WriteAllText(Path.Combine(output, "authority-host.txt"), baseUrl.TrimEnd('/'));
File.WriteAllText(Path.Combine(output, "pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
File.WriteAllText(Path.Combine(output, "ready"), "");
Console.WriteLine($"serving {baseUrl} (metadata, token endpoint, connector at {serviceUrl}); token and body in {output}");
await app.WaitForShutdownAsync();
return 0;

static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

static X509Certificate2 SelfSignedForLoopback()
{
    using var key = RSA.Create(2048);
    var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    var names = new SubjectAlternativeNameBuilder();
    names.AddIpAddress(IPAddress.Loopback);
    request.CertificateExtensions.Add(names.Build());
    request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
    request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
    var created = DateTimeOffset.UtcNow;
    using var selfSigned = request.CreateSelfSigned(created.AddMinutes(-5), created.AddDays(1));
    return X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pkcs12), password: null);
}
