using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Teams.Tests;

public sealed class TeamsRequestAuthenticatorTests : IDisposable
{
    private readonly TestKey _teamsKey = new("teams-key", RsaKeys.First, "msteams", "webchat");
    private readonly LoopbackMetadataServer _server;
    private readonly HttpClient _http = new();

    public TeamsRequestAuthenticatorTests() => _server = LoopbackMetadataServer.Start(_teamsKey);

    public void Dispose()
    {
        _server.Dispose();
        _http.Dispose();
    }

    private TeamsRequestAuthenticator Authenticator(TimeProvider? clock = null) =>
        new(Tokens.AppId, _http, clock ?? TimeProvider.System, _server.MetadataUrl);

    private Task<AuthenticationResult> Authenticate(
        string token, string channelId = "msteams", string serviceUrl = Tokens.ServiceUrl, TeamsRequestAuthenticator? authenticator = null) =>
        (authenticator ?? Authenticator()).AuthenticateAsync($"Bearer {token}", channelId, serviceUrl);

    private static string RefusalOf(AuthenticationResult result) =>
        Assert.IsType<Refused>(result).Reason;

    [Fact]
    public async Task Accepts_a_token_from_an_endorsed_key_for_this_bot_and_service_url()
    {
        var result = await Authenticate(Tokens.Mint(_teamsKey.SecurityKey));

        var identity = Assert.IsType<Authenticated>(result).Identity;
        Assert.Equal(Tokens.ServiceUrl, identity.FindFirst("serviceurl")?.Value);
        Assert.Equal(Tokens.AppId, identity.FindFirst("aud")?.Value);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha384)]
    [InlineData(SecurityAlgorithms.RsaSha512)]
    public async Task Accepts_the_stronger_rsa_algorithms_too(string algorithm) =>
        Assert.IsType<Authenticated>(await Authenticate(Tokens.Mint(_teamsKey.SecurityKey, algorithm)));

    [Fact]
    public async Task Refuses_an_expired_token() =>
        Assert.Equal("token expired", RefusalOf(await Authenticate(
            Tokens.Mint(_teamsKey.SecurityKey, now: DateTimeOffset.UtcNow.AddHours(-2)))));

    [Fact]
    public async Task Accepts_a_token_that_expired_within_the_five_minute_clock_skew() =>
        Assert.IsType<Authenticated>(await Authenticate(
            Tokens.Mint(_teamsKey.SecurityKey, now: DateTimeOffset.UtcNow.AddMinutes(-63))));

    [Fact]
    public async Task Refuses_a_token_that_is_not_yet_valid() =>
        Assert.Equal("token not yet valid", RefusalOf(await Authenticate(
            Tokens.Mint(_teamsKey.SecurityKey, now: DateTimeOffset.UtcNow.AddMinutes(10)))));

    [Fact]
    public async Task Checks_the_lifetime_against_the_injected_clock()
    {
        // The token is fresh by the machine's clock, but the bot's clock says it expired two hours ago.
        var later = new FixedClock(DateTimeOffset.UtcNow.AddHours(3));

        var result = await Authenticate(Tokens.Mint(_teamsKey.SecurityKey), authenticator: Authenticator(later));

        Assert.Equal("token expired", RefusalOf(result));
    }

    [Fact]
    public async Task Refuses_a_token_for_another_bot() =>
        Assert.Equal("token audience is not this bot", RefusalOf(await Authenticate(
            Tokens.Mint(_teamsKey.SecurityKey, audience: "another-bot-app-id"))));

    [Fact]
    public async Task In_a_sovereign_cloud_accepts_that_clouds_issuer_and_refuses_the_public_one()
    {
        const string GovIssuer = "https://api.botframework.us";
        var authenticator = new TeamsRequestAuthenticator(Tokens.AppId, _http, TimeProvider.System, _server.MetadataUrl, GovIssuer);

        Assert.IsType<Authenticated>(await Authenticate(Tokens.Mint(_teamsKey.SecurityKey, issuer: GovIssuer), authenticator: authenticator));
        Assert.Equal("token issuer is not the Bot Framework", RefusalOf(await Authenticate(
            Tokens.Mint(_teamsKey.SecurityKey), authenticator: authenticator)));
    }

    [Fact]
    public async Task Refuses_a_token_from_another_issuer() =>
        // An Entra-issued token (the emulator's issuer) is not a channel token.
        Assert.Equal("token issuer is not the Bot Framework", RefusalOf(await Authenticate(
            Tokens.Mint(_teamsKey.SecurityKey, issuer: "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"))));

    [Fact]
    public async Task Refuses_an_unsigned_token() =>
        Assert.Equal("token signature is invalid", RefusalOf(await Authenticate(Tokens.Unsigned(_teamsKey.Kid))));

    [Fact]
    public async Task Refuses_an_hmac_signed_token_even_under_a_published_key_id()
    {
        // The classic confusion attack: HS256 with a secret the attacker knows, naming the RSA key's id.
        var secret = new SymmetricSecurityKey(_teamsKey.Rsa.ExportParameters(false).Modulus) { KeyId = _teamsKey.Kid };

        var result = await Authenticate(Tokens.Mint(secret, SecurityAlgorithms.HmacSha256));

        Assert.IsType<Refused>(result);
    }

    [Fact]
    public async Task Refuses_a_token_whose_key_id_is_not_published()
    {
        var stranger = new TestKey("stranger", RsaKeys.Second, "msteams");

        var result = await Authenticate(Tokens.Mint(stranger.SecurityKey));

        Assert.Equal("token signing key is unknown", RefusalOf(result));
    }

    [Fact]
    public async Task Refreshes_the_keys_once_when_a_token_names_an_unknown_key()
    {
        var rotated = new TestKey("rotated", RsaKeys.Second, "msteams");
        var authenticator = Authenticator();
        Assert.IsType<Authenticated>(await Authenticate(Tokens.Mint(_teamsKey.SecurityKey), authenticator: authenticator));

        // The Bot Framework starts signing with a new key; the cached key set does not have it yet.
        _server.Publish(_teamsKey, rotated);
        var result = await Authenticate(Tokens.Mint(rotated.SecurityKey), authenticator: authenticator);

        Assert.IsType<Authenticated>(result);
        Assert.Equal(2, _server.KeyRequests);
    }

    [Fact]
    public async Task Does_not_refetch_the_keys_for_every_unknown_key_id()
    {
        var stranger = new TestKey("stranger", RsaKeys.Second, "msteams");
        var authenticator = Authenticator();

        for (var i = 0; i < 3; i++)
        {
            Assert.IsType<Refused>(await Authenticate(Tokens.Mint(stranger.SecurityKey), authenticator: authenticator));
        }

        // One fetch at start and one refresh; further requests within five minutes reuse the cache.
        Assert.Equal(2, _server.KeyRequests);
    }

    [Fact]
    public async Task Refuses_a_token_with_a_bad_signature()
    {
        // Signed by a different private key under the published key id.
        var forger = new TestKey(_teamsKey.Kid, RsaKeys.Second, "msteams");

        var result = await Authenticate(Tokens.Mint(forger.SecurityKey));

        Assert.Equal("token signature is invalid", RefusalOf(result));
    }

    [Fact]
    public async Task Refuses_a_token_without_a_serviceurl_claim() =>
        Assert.Equal("token has no serviceurl claim", RefusalOf(await Authenticate(
            Tokens.Mint(_teamsKey.SecurityKey, serviceUrl: null))));

    [Fact]
    public async Task Refuses_a_token_whose_serviceurl_differs_from_the_activity() =>
        // A token lifted from one conversation cannot steer replies (and our bearer token) somewhere else.
        Assert.Equal("serviceurl claim does not match the activity's serviceUrl", RefusalOf(await Authenticate(
            Tokens.Mint(_teamsKey.SecurityKey), serviceUrl: "https://attacker.example/")));

    [Fact]
    public async Task Compares_the_serviceurl_without_regard_to_case() =>
        Assert.IsType<Authenticated>(await Authenticate(
            Tokens.Mint(_teamsKey.SecurityKey), serviceUrl: Tokens.ServiceUrl.ToUpperInvariant()));

    [Fact]
    public async Task Refuses_a_channel_the_signing_key_is_not_endorsed_for() =>
        Assert.Equal("signing key is not endorsed for channel slack", RefusalOf(await Authenticate(
            Tokens.Mint(_teamsKey.SecurityKey), channelId: "slack")));

    [Fact]
    public async Task Refuses_a_key_published_without_endorsements()
    {
        var bare = new TestKey("bare", RsaKeys.Third);
        _server.Publish(_teamsKey, bare);

        var result = await Authenticate(Tokens.Mint(bare.SecurityKey));

        Assert.Equal("signing key is not endorsed for channel msteams", RefusalOf(result));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task Refuses_an_activity_without_a_channel_id(string? channelId)
    {
        var result = await Authenticator().AuthenticateAsync($"Bearer {Tokens.Mint(_teamsKey.SecurityKey)}", channelId, Tokens.ServiceUrl);

        Assert.IsType<Refused>(result);
    }

    [Theory]
    [InlineData(null)] // no header at all
    [InlineData("")]
    [InlineData("Bearer")] // scheme without a token
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")] // another scheme
    [InlineData("bearer abc.def.ghi")] // the Bot Framework compares the scheme case-sensitively
    [InlineData("Bearer a b")] // more than two parts
    public async Task Refuses_a_missing_or_malformed_authorization_header(string? header)
    {
        var result = await Authenticator().AuthenticateAsync(header, "msteams", Tokens.ServiceUrl);

        Assert.IsType<Refused>(result);
    }

    [Fact]
    public async Task Refuses_a_token_that_is_not_a_jwt() =>
        Assert.Equal("token is malformed", RefusalOf(await Authenticate("not-a-token")));

    [Fact]
    public async Task Keeps_the_token_out_of_the_refusal_reason()
    {
        var token = Tokens.Mint(_teamsKey.SecurityKey, audience: "another-bot-app-id");

        var reason = RefusalOf(await Authenticate(token));

        Assert.DoesNotContain(token.Split('.')[1], reason, StringComparison.Ordinal);
        Assert.DoesNotContain("another-bot-app-id", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://login.example.com/v1/.well-known/openidconfiguration")]
    [InlineData("ftp://127.0.0.1/metadata")]
    public void Refuses_metadata_over_plain_http_from_a_non_loopback_host(string url)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new TeamsRequestAuthenticator(Tokens.AppId, _http, TimeProvider.System, new Uri(url)));

        Assert.Contains("https", error.Message, StringComparison.Ordinal);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://login.botframework.com/v1/.well-known/openidconfiguration")]
    [InlineData("http://127.0.0.1:5000/metadata")]
    [InlineData("http://localhost:5000/metadata")]
    [InlineData("http://[::1]:5000/metadata")]
    public void Accepts_https_or_loopback_metadata(string url) =>
        Assert.NotNull(new TeamsRequestAuthenticator(Tokens.AppId, _http, TimeProvider.System, new Uri(url)));

    [Fact]
    public async Task Answers_keys_unavailable_rather_than_refused_or_a_throw_when_the_metadata_cannot_be_fetched()
    {
        // Our outage, not a bad request: the host answers 503 with Retry-After, not 401 and not 500.
        var nowhere = new Uri(_server.MetadataUrl, "/missing");
        var authenticator = new TeamsRequestAuthenticator(Tokens.AppId, _http, TimeProvider.System, nowhere);
        var header = $"Bearer {Tokens.Mint(_teamsKey.SecurityKey)}";

        var first = Assert.IsType<KeysUnavailable>(await authenticator.AuthenticateAsync(header, "msteams", Tokens.ServiceUrl));
        var second = Assert.IsType<KeysUnavailable>(await authenticator.AuthenticateAsync(header, "msteams", Tokens.ServiceUrl));

        Assert.True(first.FirstOfOutage);
        Assert.False(second.FirstOfOutage);
        Assert.True(first.RetryAfter > TimeSpan.Zero);
        Assert.True(authenticator.KeysUnavailable);
    }

    [Fact]
    public async Task Refuses_text_that_is_not_a_jwt_before_fetching_any_key()
    {
        var requests = _server.Requests;
        var nowhere = new Uri(_server.MetadataUrl, "/missing");
        var authenticator = new TeamsRequestAuthenticator(Tokens.AppId, _http, TimeProvider.System, nowhere);

        foreach (var garbage in new[] { "garbage", "a.b", "a.b.c", "e30.e30.x.y.z", "%%%.%%%.%%%" })
        {
            Assert.Equal("token is malformed", RefusalOf(await authenticator.AuthenticateAsync($"Bearer {garbage}", "msteams", Tokens.ServiceUrl)));
        }

        Assert.Equal(requests, _server.Requests);
        Assert.False(authenticator.KeysUnavailable);
    }

    [Fact]
    public async Task Checks_a_repeated_token_s_signature_only_once()
    {
        var authenticator = Authenticator();
        var token = Tokens.Mint(_teamsKey.SecurityKey);

        for (var i = 0; i < 3; i++)
        {
            Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));
        }

        Assert.Equal(1, authenticator.SignatureChecks);
    }

    [Fact]
    public async Task Refuses_a_cached_token_for_another_service_url()
    {
        var authenticator = Authenticator();
        var token = Tokens.Mint(_teamsKey.SecurityKey);
        Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));

        var result = await Authenticate(token, serviceUrl: "https://attacker.example/", authenticator: authenticator);

        Assert.Equal("serviceurl claim does not match the activity's serviceUrl", RefusalOf(result));
        Assert.Equal(1, authenticator.SignatureChecks); // refused from the cache, not by a second full check
    }

    [Fact]
    public async Task Refuses_a_cached_token_for_a_channel_its_key_is_not_endorsed_for()
    {
        var authenticator = Authenticator();
        var token = Tokens.Mint(_teamsKey.SecurityKey);
        Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));

        var result = await Authenticate(token, channelId: "slack", authenticator: authenticator);

        Assert.Equal("signing key is not endorsed for channel slack", RefusalOf(result));
        Assert.Equal(1, authenticator.SignatureChecks);
    }

    [Fact]
    public async Task Still_accepts_a_cached_token_for_its_other_endorsed_channel()
    {
        var authenticator = Authenticator();
        var token = Tokens.Mint(_teamsKey.SecurityKey);
        Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));

        Assert.IsType<Authenticated>(await Authenticate(token, channelId: "webchat", authenticator: authenticator));
        Assert.Equal(1, authenticator.SignatureChecks);
    }

    [Fact]
    public async Task Refuses_a_cached_token_once_it_has_expired()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var authenticator = Authenticator(clock);
        var token = Tokens.Mint(_teamsKey.SecurityKey, now: clock.Now, lifetime: TimeSpan.FromMinutes(3));
        Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));

        // Within the five minutes' skew after expiry it still passes; past it, it does not.
        clock.Advance(TimeSpan.FromMinutes(7));
        Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("token expired", RefusalOf(await Authenticate(token, authenticator: authenticator)));
    }

    [Fact]
    public async Task Refuses_a_cached_token_when_the_clock_goes_back_before_its_start()
    {
        // The cache checks the lifetime on every hit, not only when the entry was made.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var authenticator = Authenticator(clock);
        var token = Tokens.Mint(_teamsKey.SecurityKey, now: clock.Now);
        Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));

        clock.Advance(TimeSpan.FromMinutes(-10));

        Assert.Equal("token not yet valid", RefusalOf(await Authenticate(token, authenticator: authenticator)));
        Assert.Equal(1, authenticator.SignatureChecks);
    }

    [Fact]
    public async Task Refuses_a_token_with_a_cached_token_s_payload_but_another_signature()
    {
        var authenticator = Authenticator();
        var genuine = Tokens.Mint(_teamsKey.SecurityKey);
        Assert.IsType<Authenticated>(await Authenticate(genuine, authenticator: authenticator));

        // The same header and payload, signed by someone else's key: a different string, so no cache hit.
        var signingInput = genuine[..genuine.LastIndexOf('.')];
        var forged = signingInput + "." + Base64UrlEncoder.Encode(
            RsaKeys.Second.SignData(System.Text.Encoding.ASCII.GetBytes(signingInput), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));

        var result = await Authenticate(forged, authenticator: authenticator);

        Assert.Equal("token signature is invalid", RefusalOf(result));
        Assert.Equal(2, authenticator.SignatureChecks);
    }

    [Fact]
    public async Task Checks_a_cached_token_s_signature_again_once_the_entry_is_older_than_its_lifetime()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var authenticator = Authenticator(clock);
        var token = Tokens.Mint(_teamsKey.SecurityKey, now: clock.Now);
        Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));

        clock.Advance(TeamsRequestAuthenticator.DefaultCacheEntryLifetime - TimeSpan.FromSeconds(1));
        Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));
        Assert.Equal(1, authenticator.SignatureChecks);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));
        Assert.Equal(2, authenticator.SignatureChecks);
    }

    [Fact]
    public async Task Stops_honouring_cached_tokens_once_a_key_refresh_drops_their_key()
    {
        var authenticator = Authenticator();
        var old = Tokens.Mint(_teamsKey.SecurityKey);
        Assert.IsType<Authenticated>(await Authenticate(old, authenticator: authenticator));

        // The Bot Framework withdraws the key; a token under the new key makes the authenticator fetch the new set.
        var rotated = new TestKey("rotated", RsaKeys.Second, "msteams");
        _server.Publish(rotated);
        Assert.IsType<Authenticated>(await Authenticate(Tokens.Mint(rotated.SecurityKey), authenticator: authenticator));

        Assert.Equal("token signing key is unknown", RefusalOf(await Authenticate(old, authenticator: authenticator)));
    }

    [Fact]
    public async Task Remembers_no_more_tokens_than_its_capacity_and_still_accepts_the_rest()
    {
        var authenticator = new TeamsRequestAuthenticator(
            Tokens.AppId, _http, TimeProvider.System, _server.MetadataUrl, TeamsRequestAuthenticator.DefaultCacheEntryLifetime, cacheCapacity: 2);
        var start = DateTimeOffset.UtcNow;

        for (var i = 0; i < 5; i++)
        {
            // Issued a second apart, so each is a different token.
            var token = Tokens.Mint(_teamsKey.SecurityKey, now: start.AddSeconds(-i));
            Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));
        }

        Assert.Equal(2, authenticator.CachedTokens);
    }

    [Fact]
    public async Task Refuses_a_cached_token_for_an_activity_without_a_channel_or_service_url()
    {
        var authenticator = Authenticator();
        var token = Tokens.Mint(_teamsKey.SecurityKey);
        Assert.IsType<Authenticated>(await Authenticate(token, authenticator: authenticator));

        Assert.IsType<Refused>(await authenticator.AuthenticateAsync($"Bearer {token}", "", Tokens.ServiceUrl));
        Assert.IsType<Refused>(await authenticator.AuthenticateAsync($"Bearer {token}", "msteams", null));
    }

    [Fact]
    public void Refusals_and_acceptance_form_a_closed_pair() =>
        // The host switches over exactly these three; a new case would be a compile-visible change here.
        Assert.Equal(
            [typeof(Authenticated), typeof(KeysUnavailable), typeof(Refused)],
            typeof(AuthenticationResult).Assembly.GetTypes()
                .Where(t => t.IsSubclassOf(typeof(AuthenticationResult)))
                .OrderBy(t => t.Name, StringComparer.Ordinal));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
