using System.Net;

namespace CoachBot.Teams.Tests;

public sealed class BotConnectorClientTests : IDisposable
{
    private const string ThreadId = "19:9b2c41e0a77f4f6b@thread.tacv2;messageid=1700000000123";
    private const string ThreadIdOnTheWire = "19%3A9b2c41e0a77f4f6b%40thread.tacv2%3Bmessageid%3D1700000000123";
    private const string Draft = "What does your purchasing process look like?";

    private readonly LoopbackConnector _connector = new();
    private readonly HttpClient _http = new();
    private readonly TrustedServiceUrls _trusted = new();
    private readonly InstantClock _clock = new(new DateTimeOffset(2030, 1, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly CountingTokenSource _tokens = new("bot-token");

    public BotConnectorClientTests() => _trusted.Add(_connector.ServiceUrl);

    public void Dispose()
    {
        _connector.Dispose();
        _http.Dispose();
    }

    private BotConnectorClient Client(IBotTokenSource? tokens = null) => new(_http, tokens ?? _tokens, _trusted, _clock);

    private Task<string?> Reply(BotConnectorClient? client = null) =>
        (client ?? Client()).ReplyToActivityAsync(_connector.ServiceUrl, ThreadId, "1700000000456", TeamsActivities.Message(Draft));

    [Fact]
    public async Task Replies_on_the_activity_route_with_each_id_escaped_as_one_segment()
    {
        var id = await Reply();

        var request = Assert.Single(_connector.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/amer/v3/conversations/{ThreadIdOnTheWire}/activities/1700000000456", request.RawUrl);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("message", (string?)request.Json["type"]);
        Assert.Equal(Draft, (string?)request.Json["text"]);
        Assert.Equal("1700000000456", (string?)request.Json["replyToId"]);
        Assert.Equal("activity-1", id);
    }

    [Fact]
    public async Task Sends_to_a_conversation_on_the_activities_route()
    {
        await Client().SendToConversationAsync(_connector.ServiceUrl, "a:1personal-chat", TeamsActivities.Message("Morning tip"));

        var request = Assert.Single(_connector.Requests);
        Assert.Equal(("POST", "/amer/v3/conversations/a%3A1personal-chat/activities"), (request.Method, request.RawUrl));
        Assert.Null(request.Json["replyToId"]);
    }

    [Fact]
    public async Task Updates_an_activity_with_put_and_its_id_in_the_body()
    {
        await Client().UpdateActivityAsync(_connector.ServiceUrl, ThreadId, "1700000000789", TeamsActivities.Message("Updated"));

        var request = Assert.Single(_connector.Requests);
        Assert.Equal(("PUT", $"/amer/v3/conversations/{ThreadIdOnTheWire}/activities/1700000000789"), (request.Method, request.RawUrl));
        Assert.Equal("1700000000789", (string?)request.Json["id"]);
    }

    [Fact]
    public async Task Creates_a_channel_post_with_the_channel_and_tenant_in_channel_data()
    {
        _connector.Then(201, """{"id":"19:chan@thread.tacv2;messageid=42","activityId":"42"}""");

        var created = await Client().CreateConversationAsync(
            _connector.ServiceUrl, "tenant-1", "19:chan@thread.tacv2", TeamsActivities.Message("Today's tip"));

        var request = Assert.Single(_connector.Requests);
        Assert.Equal(("POST", "/amer/v3/conversations"), (request.Method, request.RawUrl));
        var body = request.Json;
        Assert.True((bool?)body["isGroup"]);
        Assert.Equal("19:chan@thread.tacv2", (string?)body["channelData"]!["channel"]!["id"]);
        Assert.Equal("tenant-1", (string?)body["channelData"]!["tenant"]!["id"]);
        Assert.Equal("tenant-1", (string?)body["tenantId"]);
        Assert.Equal("Today's tip", (string?)body["activity"]!["text"]);
        Assert.Equal(new CreatedConversation("19:chan@thread.tacv2;messageid=42", "42", null), created);
    }

    [Fact]
    public async Task Keeps_the_service_url_path_when_it_has_no_trailing_slash()
    {
        var withoutSlash = _connector.ServiceUrl.TrimEnd('/');

        await Client().SendToConversationAsync(withoutSlash, "a:1", TeamsActivities.Message("hi"));

        Assert.Equal("/amer/v3/conversations/a%3A1/activities", Assert.Single(_connector.Requests).RawUrl);
    }

    [Fact]
    public async Task Sends_the_bearer_token_from_the_token_source()
    {
        await Reply();

        Assert.Equal("Bearer bot-token", Assert.Single(_connector.Requests).Authorization);
    }

    [Fact]
    public async Task Sends_no_authorization_header_when_auth_is_off()
    {
        await Reply(Client(NoBotTokenSource.Instance));

        Assert.Null(Assert.Single(_connector.Requests).Authorization);
    }

    [Fact]
    public async Task Refuses_an_untrusted_service_url_without_sending_anything_or_fetching_a_token()
    {
        // A forged activity naming another host must not get the bot's token; this one is even on loopback.
        using var elsewhere = new LoopbackConnector();

        var refused = await Assert.ThrowsAsync<UntrustedServiceUrlException>(() =>
            Client().ReplyToActivityAsync(elsewhere.ServiceUrl, ThreadId, "1", TeamsActivities.Message(Draft)));

        Assert.Contains(elsewhere.ServiceUrl, refused.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        Assert.Empty(_connector.Requests);
        Assert.Equal(0, _tokens.Calls);
    }

    [Fact]
    public async Task Waits_out_retry_after_on_429_then_sends_again()
    {
        _connector.Then(429, LoopbackConnector.Error("Throttled"), ("Retry-After", "2"));

        var id = await Reply();

        Assert.Equal(2, _connector.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(2)], _clock.Waits);
        Assert.Equal("activity-2", id);
        Assert.Equal(_connector.Requests[0].Body, _connector.Requests[1].Body);
    }

    [Fact]
    public async Task Reads_a_retry_after_date_against_the_injected_clock()
    {
        var at = _clock.GetUtcNow().AddSeconds(5).ToString("r");
        _connector.Then(429, null, ("Retry-After", at));

        await Reply();

        Assert.Equal([TimeSpan.FromSeconds(5)], _clock.Waits);
    }

    [Fact]
    public async Task Waits_one_second_on_429_without_retry_after()
    {
        _connector.Then(429);

        await Reply();

        Assert.Equal([TimeSpan.FromSeconds(1)], _clock.Waits);
    }

    [Fact]
    public async Task Gives_up_after_three_throttled_retries()
    {
        for (var i = 0; i < 4; i++)
        {
            _connector.Then(429, LoopbackConnector.Error("Throttled"), ("Retry-After", "1"));
        }

        var failure = await Assert.ThrowsAsync<TeamsApiException>(() => Reply());

        Assert.Equal(4, _connector.Requests.Count);
        Assert.Equal((HttpStatusCode.TooManyRequests, "Throttled", false), (failure.Status, failure.ErrorCode, failure.IsPermanent));
    }

    [Fact]
    public async Task Does_not_sit_out_a_retry_after_longer_than_a_minute()
    {
        _connector.Then(429, null, ("Retry-After", "3600"));

        var failure = await Assert.ThrowsAsync<TeamsApiException>(() => Reply());

        Assert.Equal(HttpStatusCode.TooManyRequests, failure.Status);
        Assert.Single(_connector.Requests);
        Assert.Empty(_clock.Waits);
    }

    [Fact]
    public async Task Retries_503_twice_with_exponential_backoff_then_succeeds()
    {
        _connector.Then(503).Then(503);

        var id = await Reply();

        Assert.Equal(3, _connector.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)], _clock.Waits);
        Assert.Equal("activity-3", id);
    }

    [Theory]
    [InlineData(412)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Retries_the_other_transient_statuses_too(int status)
    {
        _connector.Then(status, LoopbackConnector.Error("PreconditionFailed"));

        await Reply();

        Assert.Equal(2, _connector.Requests.Count);
    }

    [Fact]
    public async Task Gives_up_after_three_transient_retries()
    {
        _connector.Then(503).Then(503).Then(503).Then(502, LoopbackConnector.Error("ServiceError"));

        var failure = await Assert.ThrowsAsync<TeamsApiException>(() => Reply());

        Assert.Equal(4, _connector.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _clock.Waits);
        Assert.Equal((HttpStatusCode.BadGateway, "ServiceError"), (failure.Status, failure.ErrorCode));
    }

    [Theory]
    [InlineData(403, "BotNotInConversationRoster")]
    [InlineData(403, "ConversationBlockedByUser")]
    [InlineData(404, "ConversationNotFound")]
    public async Task Reports_a_conversation_the_bot_can_never_post_to_again_as_permanent_without_retrying(int status, string code)
    {
        _connector.Then(status, LoopbackConnector.Error(code));

        var failure = await Assert.ThrowsAsync<TeamsApiException>(() => Reply());

        Assert.Single(_connector.Requests);
        Assert.True(failure.IsPermanent);
        Assert.Equal(((HttpStatusCode)status, code, "reply"), (failure.Status, failure.ErrorCode, failure.Operation));
    }

    [Fact]
    public async Task Does_not_retry_a_bad_request_and_keeps_the_message_text_out_of_the_exception()
    {
        _connector.Then(400, LoopbackConnector.Error("BadArgument"));

        var failure = await Assert.ThrowsAsync<TeamsApiException>(() => Reply());

        Assert.Single(_connector.Requests);
        Assert.Empty(_clock.Waits);
        Assert.False(failure.IsPermanent);
        Assert.Equal((HttpStatusCode.BadRequest, "BadArgument"), (failure.Status, failure.ErrorCode));
        Assert.DoesNotContain("purchasing", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("details from the service", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_failure_whose_body_is_not_json_without_an_error_code()
    {
        _connector.Then(500, "<html>oops</html>");

        var failure = await Assert.ThrowsAsync<TeamsApiException>(() => Reply());

        Assert.Equal((HttpStatusCode.InternalServerError, null), (failure.Status, failure.ErrorCode));
    }

    [Fact]
    public async Task Leaves_the_callers_activity_untouched()
    {
        var activity = TeamsActivities.Message(Draft);

        await Client().ReplyToActivityAsync(_connector.ServiceUrl, ThreadId, "7", activity);

        Assert.Null(activity["replyToId"]);
    }

    private sealed class CountingTokenSource(string token) : IBotTokenSource
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<string?> GetTokenAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult<string?>(token);
        }
    }
}
