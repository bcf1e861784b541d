namespace CoachBot.Teams.Tests;

public sealed class TeamsOptionsTests
{
    private const string AppId = "5f0b7c2e-0000-4000-8000-00000000b0a7";

    [Fact]
    public void Is_off_with_nothing_configured()
    {
        var options = new TeamsOptions();

        Assert.False(options.Enabled);
        Assert.False(options.AuthEnabled);
        Assert.Null(options.Problem());
        Assert.Equal(TeamsRequestAuthenticator.DefaultMetadataUrl, options.OpenIdMetadataUrl);
    }

    [Fact]
    public void Runs_without_auth_for_local_clients_only_when_no_app_id_is_set()
    {
        var options = new TeamsOptions { AllowUnauthenticatedLocalClients = true };

        Assert.True(options.Enabled);
        Assert.False(options.AuthEnabled);
        Assert.Null(options.Problem());
    }

    [Fact]
    public void Keeps_auth_on_when_an_app_id_is_set_even_if_local_clients_are_allowed()
    {
        var options = new TeamsOptions { AppId = AppId, AppPassword = "secret", AllowUnauthenticatedLocalClients = true };

        Assert.True(options.AuthEnabled);
        Assert.True(options.Enabled);
        Assert.Null(options.Problem());
    }

    [Fact]
    public void Names_the_missing_credential_when_an_app_id_has_neither_password_nor_certificate()
    {
        var problem = new TeamsOptions { AppId = AppId }.Problem();

        Assert.StartsWith("Teams:AppId is set but neither Teams:AppPassword nor Teams:CertificatePath is: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_a_certificate_file_instead_of_a_password()
    {
        var path = Path.GetTempFileName();
        try
        {
            Assert.Null(new TeamsOptions { AppId = AppId, CertificatePath = path }.Problem());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Names_a_certificate_path_that_does_not_exist()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"coachbot-missing-{Guid.NewGuid():N}.pfx");

        var problem = new TeamsOptions { AppId = AppId, CertificatePath = missing }.Problem();

        Assert.Equal($"Teams:CertificatePath names a file that does not exist: {missing}", problem);
    }

    [Fact]
    public void Refuses_plain_http_metadata_on_a_non_loopback_host()
    {
        var problem = new TeamsOptions { OpenIdMetadataUrl = new Uri("http://login.botframework.com/v1/.well-known/openidconfiguration") }.Problem();

        Assert.StartsWith("Teams:OpenIdMetadataUrl must be an absolute https URL", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_plain_http_metadata_on_loopback() =>
        Assert.Null(new TeamsOptions { OpenIdMetadataUrl = new Uri("http://127.0.0.1:5000/v1/.well-known/openidconfiguration") }.Problem());

    [Fact]
    public void Gets_outbound_tokens_from_the_public_cloud_by_default()
    {
        var options = new TeamsOptions();

        Assert.Equal(new Uri("https://login.microsoftonline.com"), options.AuthorityHost);
        Assert.Equal("https://api.botframework.com/.default", options.OAuthScope);
    }

    [Theory]
    [InlineData("http://login.microsoftonline.us")]
    [InlineData("http://127.0.0.1:5000")] // MSAL takes only https authorities, loopback included
    [InlineData("https://login.microsoftonline.us/botframework.com")] // the tenant is not part of the host
    [InlineData("https://login.microsoftonline.us/?x=1")]
    [InlineData("login.microsoftonline.us")]
    public void Names_the_authority_host_setting_when_it_is_not_a_bare_https_host(string host)
    {
        var problem = new TeamsOptions { AuthorityHost = new Uri(host, UriKind.RelativeOrAbsolute) }.Problem();

        Assert.StartsWith("Teams:AuthorityHost must be an absolute https URL", problem, StringComparison.Ordinal);
        Assert.Contains(host, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.us")]
    [InlineData("https://login.microsoftonline.us/")]
    [InlineData("https://127.0.0.1:5443")]
    public void Accepts_a_bare_https_authority_host(string host) =>
        Assert.Null(new TeamsOptions { AuthorityHost = new Uri(host) }.Problem());

    [Theory]
    [InlineData("https://api.botframework.us")]
    [InlineData("api.botframework.com/.default")]
    [InlineData("")]
    public void Names_the_scope_setting_when_it_is_not_a_default_scope(string scope)
    {
        var problem = new TeamsOptions { OAuthScope = scope }.Problem();

        Assert.StartsWith("Teams:OAuthScope must be an absolute URI ending in /.default", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Expects_the_public_clouds_token_issuer_by_default() =>
        Assert.Equal("https://api.botframework.com", new TeamsOptions().TokenIssuer);

    [Theory]
    [InlineData("http://api.botframework.us")]
    [InlineData("api.botframework.us")]
    [InlineData("https://api.botframework.us/")] // iss is compared exactly: this would refuse every token
    [InlineData("https://api.botframework.us/v1")]
    public void Names_the_token_issuer_setting_when_it_is_not_a_bare_https_origin(string issuer)
    {
        var problem = new TeamsOptions { TokenIssuer = issuer }.Problem();

        Assert.StartsWith("Teams:TokenIssuer must be an https URI with no path or trailing slash", problem, StringComparison.Ordinal);
        Assert.Contains(issuer, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.botframework.us")]
    [InlineData("")] // blank: the public cloud's, as the authenticator takes it
    public void Accepts_a_bare_https_token_issuer_or_none(string issuer) =>
        Assert.Null(new TeamsOptions { TokenIssuer = issuer }.Problem());
}
