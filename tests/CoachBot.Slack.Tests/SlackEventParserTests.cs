using System.Text;

namespace CoachBot.Slack.Tests;

public sealed class SlackEventParserTests
{
    private const string BotUser = "UBOT0001";

    private static SlackEvent Parse(string json, string? botUserId = null) => SlackEventParser.Parse(Encoding.UTF8.GetBytes(json), botUserId);

    // An event_callback envelope as Slack sends it, trimmed to what matters; extra fields are there to prove they're skipped.
    private static string Callback(string innerEvent, string authorizations = """[{"enterprise_id":null,"team_id":"T1","user_id":"UBOT0001","is_bot":true}]""") => $$"""
        {"token":"legacy","team_id":"T1","api_app_id":"A1","event":{{innerEvent}},"type":"event_callback",
         "event_id":"Ev1","event_time":1715000000,"authorizations":{{authorizations}},"is_ext_shared_channel":false}
        """;

    private static string DirectMessage(string extra = "") => $$"""
        {"type":"message","channel":"D1","user":"U1","text":"What does your purchasing process look like?","ts":"1715000000.000100",
         "client_msg_id":"c1","event_ts":"1715000000.000100","channel_type":"im"{{extra}}}
        """;

    private static SlackEvent.Ignored AssertIgnored(SlackEvent parsed, string reasonContains)
    {
        var ignored = Assert.IsType<SlackEvent.Ignored>(parsed);
        Assert.Contains(reasonContains, ignored.Reason, StringComparison.Ordinal);
        return ignored;
    }

    [Fact]
    public void Reads_the_challenge_of_a_url_verification()
    {
        var parsed = Parse("""{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""");

        Assert.Equal(new SlackEvent.UrlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"), parsed);
    }

    [Fact]
    public void Reads_a_direct_message_as_an_incoming_message()
    {
        var parsed = Assert.IsType<SlackEvent.MessageReceived>(Parse(Callback(DirectMessage())));

        Assert.Equal(new EventDelivery("Ev1", "T1", "A1"), parsed.Delivery);
        Assert.Equal(new IncomingMessage("T1", "D1", "U1", "1715000000.000100", null, "What does your purchasing process look like?"), parsed.Message);
        Assert.False(parsed.IsMention);
    }

    [Fact]
    public void Keeps_the_thread_of_a_direct_message_in_a_thread()
    {
        var parsed = Assert.IsType<SlackEvent.MessageReceived>(Parse(Callback(DirectMessage(""","thread_ts":"1714999999.000200" """))));

        Assert.Equal("1714999999.000200", parsed.Message.ThreadId);
    }

    [Fact]
    public void Reads_an_app_mention_as_an_incoming_message_with_the_mention_left_for_the_coach_to_strip()
    {
        var parsed = Assert.IsType<SlackEvent.MessageReceived>(Parse(Callback("""
            {"type":"app_mention","user":"U1","text":"<@UBOT0001> Do you have budget?","ts":"1715000000.000300","channel":"C1","event_ts":"1715000000.000300"}
            """)));

        Assert.True(parsed.IsMention);
        Assert.Equal(new IncomingMessage("T1", "C1", "U1", "1715000000.000300", null, "<@UBOT0001> Do you have budget?"), parsed.Message);
    }

    [Fact]
    public void Reads_app_home_opened_with_its_tab()
    {
        var parsed = Parse(Callback("""{"type":"app_home_opened","user":"U1","channel":"D1","tab":"messages","event_ts":"1715000000.1"}"""));

        Assert.Equal(new SlackEvent.AppHomeOpened(new EventDelivery("Ev1", "T1", "A1"), "U1", "D1", "messages"), parsed);
    }

    [Fact]
    public void Reads_app_uninstalled()
    {
        var parsed = Parse(Callback("""{"type":"app_uninstalled","event_ts":"1715000000.1"}"""));

        Assert.Equal(new SlackEvent.AppUninstalled(new EventDelivery("Ev1", "T1", "A1")), parsed);
    }

    [Fact]
    public void Reads_tokens_revoked_with_user_and_bot_ids()
    {
        var parsed = Assert.IsType<SlackEvent.TokensRevoked>(Parse(Callback("""{"type":"tokens_revoked","tokens":{"oauth":["U1","U2"],"bot":["UBOT0001"]},"event_ts":"1"}""")));

        Assert.Equal(["U1", "U2"], parsed.Users);
        Assert.Equal(["UBOT0001"], parsed.Bots);
    }

    [Fact]
    public void Reads_tokens_revoked_without_bot_tokens_as_an_empty_list()
    {
        var parsed = Assert.IsType<SlackEvent.TokensRevoked>(Parse(Callback("""{"type":"tokens_revoked","tokens":{"oauth":["U1"]}}""")));

        Assert.Empty(parsed.Bots);
    }

    [Fact]
    public void Ignores_a_message_with_a_bot_id() =>
        AssertIgnored(Parse(Callback(DirectMessage(""","bot_id":"B1" """))), "from a bot");

    [Fact]
    public void Ignores_a_bot_message_subtype() =>
        AssertIgnored(Parse(Callback("""{"type":"message","subtype":"bot_message","channel":"D1","text":"hi","ts":"1.2","channel_type":"im"}""")), "from a bot");

    [Fact]
    public void Ignores_an_edited_message() =>
        AssertIgnored(
            Parse(Callback("""{"type":"message","subtype":"message_changed","channel":"D1","hidden":true,"message":{"type":"message","user":"U1","text":"edited"},"ts":"1.2","channel_type":"im"}""")),
            "message_changed");

    [Theory]
    [InlineData("message_deleted")]
    [InlineData("message_replied")]
    [InlineData("channel_join")]
    [InlineData("thread_broadcast")]
    [InlineData("file_share")]
    public void Ignores_other_message_subtypes(string subtype) =>
        AssertIgnored(Parse(Callback(DirectMessage($$""","subtype":"{{subtype}}" """))), $"subtype {subtype}");

    [Fact]
    public void Ignores_the_bots_own_message_when_the_caller_names_the_bot_user() =>
        AssertIgnored(Parse(Callback(DirectMessage().Replace("\"U1\"", "\"UOWN\"", StringComparison.Ordinal), authorizations: "[]"), botUserId: "UOWN"), "bot itself");

    [Fact]
    public void Ignores_the_bots_own_message_named_by_the_envelopes_bot_authorization() =>
        AssertIgnored(Parse(Callback(DirectMessage().Replace("\"U1\"", $"\"{BotUser}\"", StringComparison.Ordinal))), "bot itself");

    [Fact]
    public void Does_not_take_a_human_authorization_for_the_bot()
    {
        var parsed = Parse(Callback(DirectMessage(), authorizations: """[{"team_id":"T1","user_id":"U1","is_bot":false}]"""));

        Assert.IsType<SlackEvent.MessageReceived>(parsed);
    }

    [Theory]
    [InlineData("channel")]
    [InlineData("group")]
    [InlineData("mpim")]
    public void Ignores_a_plain_message_outside_a_direct_message_because_mentions_arrive_as_app_mention(string channelType) =>
        AssertIgnored(Parse(Callback(DirectMessage().Replace("\"im\"", $"\"{channelType}\"", StringComparison.Ordinal))), $"channel_type {channelType}");

    [Fact]
    public void Ignores_a_message_without_a_user() =>
        AssertIgnored(Parse(Callback("""{"type":"message","channel":"D1","text":"hi","ts":"1.2","channel_type":"im"}""")), "without user");

    [Fact]
    public void Ignores_a_bot_mention() =>
        AssertIgnored(Parse(Callback("""{"type":"app_mention","bot_id":"B2","user":"U9","text":"<@UBOT0001> hi","ts":"1.2","channel":"C1"}""")), "from a bot");

    [Theory]
    [InlineData("""{"type":"member_joined_channel","user":"U1","channel":"C1","channel_type":"C","team":"T1"}""")]
    [InlineData("""{"type":"reaction_added","user":"U1","reaction":"thumbsup","item":{"type":"message","channel":"C1","ts":"1.2"}}""")]
    // Same field name, different shape: an unhandled event must never be read far enough to fail.
    [InlineData("""{"type":"user_change","user":{"id":"U1","name":"rep"}}""")]
    public void Ignores_event_types_it_does_not_handle(string innerEvent) =>
        AssertIgnored(Parse(Callback(innerEvent)), "is not handled");

    [Fact]
    public void Ignores_envelope_types_it_does_not_handle() =>
        AssertIgnored(Parse("""{"token":"x","type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820,"api_app_id":"A1"}"""), "app_rate_limited");

    [Fact]
    public void Keeps_message_text_out_of_the_reason_it_ignored_a_message()
    {
        var ignored = AssertIgnored(Parse(Callback(DirectMessage(""","bot_id":"B1" """))), "bot");

        Assert.DoesNotContain("purchasing", ignored.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("token=x&challenge=y")] // a form body on the JSON endpoint
    [InlineData("{\"type\":\"event_callback\"")] // truncated
    [InlineData("[]")]
    [InlineData("\"event_callback\"")]
    [InlineData("null")]
    [InlineData("""{"challenge":"c"}""")] // no type
    [InlineData("""{"type":"url_verification"}""")] // no challenge
    [InlineData("""{"type":17}""")]
    public void Reports_a_body_that_is_not_a_slack_envelope_as_malformed(string body) =>
        Assert.IsType<SlackEvent.Malformed>(Parse(body));

    [Fact]
    public void Reports_invalid_utf8_as_malformed()
    {
        byte[] body = [.. "{\"type\":\"url_verification\",\"challenge\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.IsType<SlackEvent.Malformed>(SlackEventParser.Parse(body));
    }

    [Theory]
    [InlineData("""{"type":"event_callback","team_id":"T1","api_app_id":"A1","event":{"type":"app_uninstalled"}}""")] // no event_id to dedupe on
    [InlineData("""{"type":"event_callback","event_id":"Ev1","api_app_id":"A1","event":{"type":"app_uninstalled"}}""")] // no team
    [InlineData("""{"type":"event_callback","event_id":"Ev1","team_id":"T1","api_app_id":"A1"}""")] // no inner event
    [InlineData("""{"type":"event_callback","event_id":"Ev1","team_id":"T1","api_app_id":"A1","event":null}""")]
    [InlineData("""{"type":"event_callback","event_id":"Ev1","team_id":"T1","api_app_id":"A1","event":{"user":"U1"}}""")] // inner event without type
    [InlineData("""{"type":"event_callback","event_id":"Ev1","team_id":"T1","api_app_id":"A1","event":{"type":"message","text":42}}""")] // a handled event of the wrong shape
    public void Reports_an_event_callback_missing_its_essentials_as_malformed(string body) =>
        Assert.IsType<SlackEvent.Malformed>(Parse(body));

    [Fact]
    public void Keeps_the_parser_error_text_out_of_the_malformed_reason()
    {
        var malformed = Assert.IsType<SlackEvent.Malformed>(Parse("{\"type\":\"secret draft"));

        Assert.DoesNotContain("secret draft", malformed.Reason, StringComparison.Ordinal);
    }
}
