using System.Text;
using System.Text.Json.Nodes;

namespace CoachBot.Slack.Tests;

/// <summary>The Web API client against a loopback Slack: what goes on the wire, and how Slack's answers are read.</summary>
public sealed class SlackWebApiClientTests : IDisposable
{
    private const string Token = "xoxb-fake-T1";
    private const string OtherToken = "xoxb-fake-T2";

    private readonly LoopbackSlack _slack = new();

    public void Dispose() => _slack.Dispose();

    private static JsonObject Message(string text = "Try asking what changes if nothing changes.") =>
        new() { ["channel"] = "D1", ["text"] = text };

    [Fact]
    public async Task Posts_a_message_as_json_with_the_given_workspace_token_and_returns_its_ts()
    {
        var ts = await _slack.Client().PostMessageAsync(Token, Message(), CancellationToken.None);

        var request = Assert.Single(_slack.Requests);
        Assert.Equal(("POST", "/api/chat.postMessage"), (request.Method, request.RawUrl));
        Assert.Equal("Bearer " + Token, request.Authorization);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal("D1", request.Json["channel"]!.GetValue<string>());
        Assert.Equal("1715000000.000001", ts);
    }

    [Fact]
    public async Task Uses_each_calls_own_token_so_workspaces_never_share_one()
    {
        var client = _slack.Client();

        await client.PostMessageAsync(Token, Message(), CancellationToken.None);
        await client.PostMessageAsync(OtherToken, Message(), CancellationToken.None);

        Assert.Equal(["Bearer " + Token, "Bearer " + OtherToken], _slack.Requests.Select(r => r.Authorization));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Refuses_to_call_without_a_token(string token)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _slack.Client().PostMessageAsync(token, Message(), CancellationToken.None));

        Assert.Empty(_slack.Requests);
    }

    [Fact]
    public async Task Posts_an_ephemeral_message_to_one_user_without_changing_the_callers_message()
    {
        var message = new JsonObject { ["text"] = "Only you can see this." };

        var ts = await _slack.Client().PostEphemeralAsync(Token, "C1", "U1", message, CancellationToken.None);

        var body = Assert.Single(_slack.Requests).Json;
        Assert.Equal("/api/chat.postEphemeral", _slack.Requests[0].RawUrl);
        Assert.Equal(("C1", "U1", "Only you can see this."), (body["channel"]!.GetValue<string>(), body["user"]!.GetValue<string>(), body["text"]!.GetValue<string>()));
        Assert.Equal("1715000000.000001", ts);
        Assert.False(message.ContainsKey("channel"));
    }

    [Fact]
    public async Task Updates_a_message_by_channel_and_ts()
    {
        await _slack.Client().UpdateAsync(Token, "C1", "1715000000.000100", new JsonObject { ["text"] = "Thanks!" }, CancellationToken.None);

        var request = Assert.Single(_slack.Requests);
        Assert.Equal("/api/chat.update", request.RawUrl);
        Assert.Equal("1715000000.000100", request.Json["ts"]!.GetValue<string>());
        Assert.Equal("C1", request.Json["channel"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publishes_a_home_view_for_one_user()
    {
        var view = new JsonObject { ["type"] = "home", ["blocks"] = new JsonArray() };

        await _slack.Client().PublishViewAsync(Token, "U1", view, CancellationToken.None);

        var request = Assert.Single(_slack.Requests);
        Assert.Equal("/api/views.publish", request.RawUrl);
        Assert.Equal("U1", request.Json["user_id"]!.GetValue<string>());
        Assert.Equal("home", request.Json["view"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reads_who_a_token_belongs_to_from_auth_test()
    {
        _slack.Then(200, """{"ok":true,"url":"https://acme.slack.com/","team":"Acme","user":"coachbot","team_id":"T1","user_id":"UBOT","bot_id":"BBOT","is_enterprise_install":false}""");

        var who = await _slack.Client().AuthTestAsync(Token, CancellationToken.None);

        Assert.Equal(new SlackAuthTest("UBOT", "BBOT", "T1", null), who);
        Assert.Equal(("/api/auth.test", "Bearer " + Token), (_slack.Requests[0].RawUrl, _slack.Requests[0].Authorization));
    }

    [Fact]
    public async Task Reads_a_users_time_zone_asking_with_a_form_because_users_info_takes_no_json()
    {
        _slack.Then(200, """{"ok":true,"user":{"id":"U1","name":"rep","tz":"Europe/Berlin","tz_offset":7200}}""");

        var tz = await _slack.Client().UsersInfoTimeZoneAsync(Token, "U1", CancellationToken.None);

        var request = Assert.Single(_slack.Requests);
        Assert.Equal("Europe/Berlin", tz);
        Assert.Equal("/api/users.info", request.RawUrl);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("U1", request.Form["user"]);
    }

    [Theory]
    [InlineData("""{"ok":true,"user":{"id":"U1"}}""")]
    [InlineData("""{"ok":true,"user":{"id":"U1","tz":""}}""")]
    [InlineData("""{"ok":true,"user":{"id":"U1","tz":null}}""")]
    public async Task Gives_no_time_zone_when_slack_has_none(string answer)
    {
        _slack.Then(200, answer);

        Assert.Null(await _slack.Client().UsersInfoTimeZoneAsync(Token, "U1", CancellationToken.None));
    }

    [Fact]
    public async Task Throws_slacks_error_code_with_the_method_and_no_message_text_or_token()
    {
        _slack.Then(200, """{"ok":false,"error":"not_in_channel"}""");

        var error = await Assert.ThrowsAsync<SlackApiException>(
            () => _slack.Client().PostMessageAsync(Token, Message("secret deal for Acme"), CancellationToken.None));

        Assert.Equal(("chat.postMessage", "not_in_channel"), (error.Method, error.Error));
        Assert.DoesNotContain("Acme", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html>Bad gateway</html>", "invalid_response")]
    [InlineData("[]", "invalid_response")]
    [InlineData("""{"error":"weird"}""", "weird")]
    [InlineData("""{"ok":"true"}""", "no_ok_field")]
    public async Task Treats_an_answer_that_is_not_slacks_json_as_an_error(string answer, string code)
    {
        _slack.Then(200, answer);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _slack.Client().PostMessageAsync(Token, Message(), CancellationToken.None));

        Assert.Equal(code, error.Error);
    }

    [Fact]
    public async Task Waits_out_a_429_for_the_retry_after_slack_asks_then_sends_again()
    {
        var clock = new InstantClock();
        _slack.Then(429, """{"ok":false,"error":"ratelimited"}""", ("Retry-After", "7"));

        var ts = await _slack.Client(clock).PostMessageAsync(Token, Message(), CancellationToken.None);

        Assert.Equal(2, _slack.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], clock.Waits);
        Assert.Equal(_slack.Requests[0].Body, _slack.Requests[1].Body);
        Assert.Equal("1715000000.000002", ts);
    }

    [Fact]
    public async Task Gives_up_with_ratelimited_after_three_waits()
    {
        var clock = new InstantClock();
        for (var i = 0; i < 4; i++)
        {
            _slack.Then(429, """{"ok":false,"error":"ratelimited"}""", ("Retry-After", "1"));
        }

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _slack.Client(clock).PostMessageAsync(Token, Message(), CancellationToken.None));

        Assert.Equal("ratelimited", error.Error);
        Assert.Equal(4, _slack.Requests.Count);
        Assert.Equal(3, clock.Waits.Count);
    }

    [Fact]
    public async Task Does_not_wait_in_line_for_a_retry_after_longer_than_thirty_seconds()
    {
        var clock = new InstantClock();
        _slack.Then(429, """{"ok":false,"error":"ratelimited"}""", ("Retry-After", "120"));

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _slack.Client(clock).PostMessageAsync(Token, Message(), CancellationToken.None));

        Assert.Equal("ratelimited", error.Error);
        Assert.Single(_slack.Requests);
        Assert.Empty(clock.Waits);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Never_resends_a_post_after_a_server_error_because_it_may_have_landed(int status)
    {
        _slack.Then(status, "oops");

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _slack.Client().PostMessageAsync(Token, Message(), CancellationToken.None));

        Assert.Equal("http_" + status, error.Error);
        Assert.Single(_slack.Requests);
    }

    [Fact]
    public async Task Reports_a_timeout_as_a_timeout_without_resending()
    {
        // A client whose timeout runs out before any answer can arrive.
        using var http = new HttpClient { Timeout = TimeSpan.FromTicks(1) };
        var client = new SlackWebApiClient(http, new SlackOptions { ApiBaseUrl = _slack.ApiBaseUrl }, new InstantClock());

        var error = await Assert.ThrowsAsync<SlackApiException>(() => client.PostMessageAsync(Token, Message(), CancellationToken.None));

        Assert.Equal(("chat.postMessage", "timeout"), (error.Method, error.Error));
    }

    [Fact]
    public async Task Lets_the_callers_cancellation_through_as_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _slack.Client().PostMessageAsync(Token, Message(), cancelled.Token));
    }

    [Fact]
    public async Task Exchanges_an_install_code_with_basic_client_auth_and_reads_the_installation()
    {
        _slack.Then(200, """
            {"ok":true,"access_token":"xoxb-fake-new","token_type":"bot","scope":"app_mentions:read,chat:write,commands,im:history,users:read",
             "bot_user_id":"UBOT","app_id":"A1","team":{"id":"T1","name":"Acme"},"enterprise":null,"is_enterprise_install":false,
             "authed_user":{"id":"U1"}}
            """);
        _slack.Then(200, """{"ok":true,"team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}""");

        var access = await _slack.Client().OAuthV2AccessAsync("123.456", "s3cret", "code-1", "https://coachbot.example.com/slack/oauth_redirect", CancellationToken.None);

        Assert.Equal(
            new SlackOAuthAccess("xoxb-fake-new", "UBOT", "BBOT", "A1", "T1", "Acme", null, false, "app_mentions:read,chat:write,commands,im:history,users:read"),
            access);
        var exchange = _slack.Requests[0];
        Assert.Equal("/api/oauth.v2.access", exchange.RawUrl);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("123.456:s3cret")), exchange.Authorization);
        Assert.StartsWith("application/x-www-form-urlencoded", exchange.ContentType, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string> { ["code"] = "code-1", ["redirect_uri"] = "https://coachbot.example.com/slack/oauth_redirect" }, exchange.Form);

        // The bot id comes from auth.test with the new token, as Bolt does.
        Assert.Equal(("/api/auth.test", "Bearer xoxb-fake-new"), (_slack.Requests[1].RawUrl, _slack.Requests[1].Authorization));
    }

    [Fact]
    public async Task Reads_an_org_wide_install_as_belonging_to_the_enterprise()
    {
        _slack.Then(200, """
            {"ok":true,"access_token":"xoxb-org","token_type":"bot","scope":"chat:write","bot_user_id":"UBOT","app_id":"A1",
             "team":null,"enterprise":{"id":"E1","name":"Acme Group"},"is_enterprise_install":true}
            """);
        _slack.Then(200, """{"ok":true,"team_id":"T9","user_id":"UBOT","bot_id":"BBOT","enterprise_id":"E1"}""");

        var access = await _slack.Client().OAuthV2AccessAsync("123.456", "s3cret", "code-1", null, CancellationToken.None);

        Assert.Equal((null, "E1", true), (access.TeamId, access.EnterpriseId, access.IsEnterpriseInstall));
        Assert.False(_slack.Requests[0].Form.ContainsKey("redirect_uri"));
    }

    [Fact]
    public async Task Keeps_the_install_when_auth_test_fails_afterwards()
    {
        _slack.Then(200, """{"ok":true,"access_token":"xoxb-new","scope":"chat:write","bot_user_id":"UBOT","app_id":"A1","team":{"id":"T1"}}""");
        _slack.Then(200, """{"ok":false,"error":"internal_error"}""");

        var access = await _slack.Client().OAuthV2AccessAsync("123.456", "s3cret", "code-1", null, CancellationToken.None);

        Assert.Equal(("xoxb-new", null), (access.AccessToken, access.BotId));
    }

    [Fact]
    public async Task Throws_the_oauth_error_when_slack_refuses_the_code()
    {
        _slack.Then(200, """{"ok":false,"error":"invalid_code"}""");

        var error = await Assert.ThrowsAsync<SlackApiException>(
            () => _slack.Client().OAuthV2AccessAsync("123.456", "s3cret", "code-1", null, CancellationToken.None));

        Assert.Equal(("oauth.v2.access", "invalid_code"), (error.Method, error.Error));
        Assert.DoesNotContain("s3cret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Never_prints_the_bot_token_when_an_installation_is_logged()
    {
        var access = new SlackOAuthAccess("xoxb-no-log", "UBOT", "BBOT", "A1", "T1", "Acme", null, false, "chat:write");

        Assert.DoesNotContain("xoxb-no-log", access.ToString(), StringComparison.Ordinal);
        Assert.Contains("UBOT", access.ToString(), StringComparison.Ordinal);
    }
}
