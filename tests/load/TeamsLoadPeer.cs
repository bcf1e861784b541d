// The Bot Framework's side of a Teams load run, as a file-based app (no packages):
//   dotnet run tests/load/TeamsLoadPeer.cs -- <metadataPort> <outputFolder> <appId>
// It makes an RSA key endorsed for msteams, serves the OpenID metadata and key set on 127.0.0.1:<metadataPort>,
// and writes into <outputFolder>: token.txt (a valid channel token for <appId>, one hour), body.json (one message
// activity whose serviceUrl matches the token's serviceurl claim), metadata-url.txt and, last, ready.
// It serves until killed (teams-load.sh kills it by its process id).
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

if (args.Length != 3 || !int.TryParse(args[0], out var port))
{
    Console.Error.WriteLine("usage: dotnet run tests/load/TeamsLoadPeer.cs -- <metadataPort> <outputFolder> <appId>");
    return 2;
}

var output = Directory.CreateDirectory(args[1]).FullName;
var appId = args[2];
const string ServiceUrl = "https://smba.trafficmanager.net/amer/";
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
var baseUrl = $"http://127.0.0.1:{port}/";
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
    ["serviceurl"] = ServiceUrl,
    ["nbf"] = now,
    ["iat"] = now,
    ["exp"] = now + 3600,
};
var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
var token = signingInput + "." + Base64Url(signature);

var body = new JsonObject
{
    ["type"] = "message",
    ["id"] = "load-0000000000",
    ["text"] = "What does your purchasing process look like?",
    ["channelId"] = "msteams",
    ["serviceUrl"] = ServiceUrl,
    ["from"] = new JsonObject { ["id"] = "29:load-user", ["aadObjectId"] = "00000000-0000-0000-0000-0000000000aa" },
    ["recipient"] = new JsonObject { ["id"] = "28:" + appId, ["name"] = "CoachBot" },
    ["conversation"] = new JsonObject { ["id"] = "a:load-chat", ["conversationType"] = "personal", ["tenantId"] = "load-tenant" },
    ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "load-tenant" } },
}.ToJsonString();

using var listener = new HttpListener();
listener.Prefixes.Add(baseUrl);
listener.Start();

File.WriteAllText(Path.Combine(output, "token.txt"), token);
File.WriteAllText(Path.Combine(output, "body.json"), body);
File.WriteAllText(Path.Combine(output, "metadata-url.txt"), baseUrl + "v1/.well-known/openidconfiguration");
File.WriteAllText(Path.Combine(output, "ready"), "");
Console.WriteLine($"metadata on {baseUrl}v1/.well-known/openidconfiguration; token and body in {output}");

while (listener.IsListening)
{
    var context = await listener.GetContextAsync();
    var path = context.Request.Url?.AbsolutePath;
    var answer = path == "/v1/.well-known/openidconfiguration" ? metadata : path == "/v1/.well-known/keys" ? keys : null;
    Console.WriteLine($"GET {path} -> {(answer is null ? 404 : 200)}");
    context.Response.StatusCode = answer is null ? 404 : 200;
    context.Response.ContentType = "application/json";
    await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(answer ?? "{}"));
    context.Response.Close();
}

return 0;

static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
