using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Teams.Tests;

public sealed class MsalBotTokenSourceTests : IDisposable
{
    private const string AppId = "5f0b7c2e-0000-4000-8000-00000000b0a7";
    private const string TenantId = "8a7d1f3c-1111-4222-8333-944455566677";

    private readonly FakeEntra _entra = new();
    private readonly List<string> _files = [];

    public void Dispose()
    {
        _entra.Dispose();
        _files.ForEach(File.Delete);
    }

    [Fact]
    public async Task Gets_a_bot_framework_token_from_the_multi_tenant_authority_with_the_client_secret()
    {
        using var source = new MsalBotTokenSource(new TeamsOptions { AppId = AppId, AppPassword = "s3cret" }, _entra);

        var token = await source.GetTokenAsync();

        Assert.Equal("access-token-1", token);
        var request = Assert.Single(_entra.TokenRequests);
        Assert.Equal("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token", request.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("client_credentials", request.Form["grant_type"]);
        Assert.Equal("https://api.botframework.com/.default", request.Form["scope"]);
        Assert.Equal(AppId, request.Form["client_id"]);
        Assert.Equal("s3cret", request.Form["client_secret"]);
    }

    [Fact]
    public async Task Serves_the_second_call_from_the_token_cache()
    {
        using var source = new MsalBotTokenSource(new TeamsOptions { AppId = AppId, AppPassword = "s3cret" }, _entra);

        var first = await source.GetTokenAsync();
        var second = await source.GetTokenAsync();

        Assert.Equal(first, second);
        Assert.Single(_entra.TokenRequests);
    }

    [Fact]
    public async Task Asks_the_token_endpoint_once_when_several_callers_need_the_first_token_at_once()
    {
        using var slow = new FakeEntra { TokenDelay = TimeSpan.FromMilliseconds(200) };
        using var source = new MsalBotTokenSource(new TeamsOptions { AppId = AppId, AppPassword = "s3cret" }, slow);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => source.GetTokenAsync())));

        Assert.Single(slow.TokenRequests);
        Assert.All(tokens, token => Assert.Equal("access-token-1", token));
    }

    [Fact]
    public async Task Asks_the_bots_own_tenant_when_it_is_single_tenant()
    {
        using var source = new MsalBotTokenSource(new TeamsOptions { AppId = AppId, AppPassword = "s3cret", TenantId = TenantId }, _entra);

        await source.GetTokenAsync();

        Assert.Equal($"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token", Assert.Single(_entra.TokenRequests).Uri.GetLeftPart(UriPartial.Path));
    }

    [Fact]
    public async Task Asks_a_sovereign_clouds_login_host_for_its_scope_without_calling_the_public_cloud()
    {
        // US Gov: Bot Framework's ToChannelFromBotLoginUrl and ToChannelFromBotOAuthScope for that cloud.
        var options = new TeamsOptions
        {
            AppId = AppId,
            AppPassword = "s3cret",
            AuthorityHost = new Uri("https://login.microsoftonline.us"),
            TenantId = "MicrosoftServices.onmicrosoft.us",
            OAuthScope = "https://api.botframework.us/.default",
        };
        using var source = new MsalBotTokenSource(options, _entra);

        await source.GetTokenAsync();

        var request = Assert.Single(_entra.TokenRequests);
        // MSAL writes the tenant in lower case.
        Assert.Equal("https://login.microsoftonline.us/microsoftservices.onmicrosoft.us/oauth2/v2.0/token", request.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("https://api.botframework.us/.default", request.Form["scope"]);
        Assert.All(_entra.Requests, uri => Assert.Equal("login.microsoftonline.us", uri.Host));
    }

    [Fact]
    public void Puts_the_tenant_after_the_configured_login_host()
    {
        Assert.Equal("https://login.microsoftonline.com/botframework.com", MsalBotTokenSource.AuthorityFor(new TeamsOptions { AppId = AppId }));
        Assert.Equal(
            $"https://login.microsoftonline.us/{TenantId}",
            MsalBotTokenSource.AuthorityFor(new TeamsOptions { AppId = AppId, TenantId = TenantId, AuthorityHost = new Uri("https://login.microsoftonline.us/") }));
    }

    [Theory]
    [InlineData(".pfx", "pfx-password")]
    [InlineData(".pfx", null)]
    [InlineData(".pem", null)]
    public async Task Signs_a_client_assertion_with_the_certificate_instead_of_sending_a_secret(string extension, string? password)
    {
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(rsa);
        var path = Write(certificate, rsa, extension, password);
        using var source = new MsalBotTokenSource(
            new TeamsOptions { AppId = AppId, CertificatePath = path, CertificatePassword = password }, _entra);

        await source.GetTokenAsync();

        var form = Assert.Single(_entra.TokenRequests).Form;
        Assert.False(form.ContainsKey("client_secret"));
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(form["client_assertion"], new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(rsa.ExportParameters(false)),
            ValidIssuer = AppId,
            ValidAudience = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token",
            // The assertion names the signing certificate by thumbprint, not key id.
            TryAllIssuerSigningKeys = true,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public void Refuses_options_without_an_app_id() =>
        Assert.Throws<ArgumentException>(() => new MsalBotTokenSource(new TeamsOptions { AppPassword = "s3cret" }, _entra));

    [Fact]
    public void Refuses_options_with_an_app_id_but_no_credential() =>
        Assert.Throws<ArgumentException>(() => new MsalBotTokenSource(new TeamsOptions { AppId = AppId }, _entra));

    private static X509Certificate2 SelfSigned(RSA rsa)
    {
        var request = new CertificateRequest("CN=coachbot-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private string Write(X509Certificate2 certificate, RSA rsa, string extension, string? password)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coachbot-test-{Guid.NewGuid():N}{extension}");
        _files.Add(path);
        if (extension == ".pem")
        {
            File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem());
        }
        else
        {
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        }

        return path;
    }
}
