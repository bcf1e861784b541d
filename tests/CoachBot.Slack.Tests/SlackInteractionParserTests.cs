using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Replies;

namespace CoachBot.Slack.Tests;

public sealed class SlackInteractionParserTests
{
    // A press of "Another suggestion" on a coaching reply in a DM thread, trimmed from a real block_actions payload.
    private const string AnotherInThread = """
        {"type":"block_actions","user":{"id":"U1","username":"rep","name":"rep","team_id":"T1"},"api_app_id":"A1","token":"legacy",
         "container":{"type":"message","message_ts":"1715000000.000200","channel_id":"D1","is_ephemeral":false,"thread_ts":"1715000000.000100"},
         "trigger_id":"123.456.abc","team":{"id":"T1","domain":"acme"},"enterprise":null,"is_enterprise_install":false,
         "channel":{"id":"D1","name":"directmessage"},
         "message":{"type":"message","user":"UBOT","ts":"1715000000.000200","thread_ts":"1715000000.000100","text":"Worth another look"},
         "response_url":"https://hooks.slack.com/actions/T1/1/abc",
         "actions":[{"action_id":"coach_another","block_id":"coach_feedback","text":{"type":"plain_text","text":"Another suggestion"},
                     "value":"question.purchasing-process#1","type":"button","action_ts":"1715000001.000000"}]}
        """;

    private static SlackInteraction Parse(string payloadJson) =>
        SlackInteractionParser.Parse(Encoding.UTF8.GetBytes("payload=" + WebUtility.UrlEncode(payloadJson)));

    private static string Edit(Action<JsonObject> change)
    {
        var payload = JsonNode.Parse(AnotherInThread)!.AsObject();
        change(payload);
        return payload.ToJsonString();
    }

    [Fact]
    public void Reads_a_button_press_on_a_threaded_reply()
    {
        var action = Assert.IsType<SlackInteraction.BlockActions>(Parse(AnotherInThread));

        Assert.Equal(
            new SlackInteraction.BlockActions(
                CoachingActions.Another,
                "question.purchasing-process#1",
                "T1",
                null,
                "U1",
                "D1",
                "1715000000.000200",
                "1715000000.000100",
                new Uri("https://hooks.slack.com/actions/T1/1/abc"),
                false,
                "123.456.abc"),
            action);
    }

    [Fact]
    public void Reads_back_the_value_the_renderer_put_on_our_buttons()
    {
        // The renderer's own buttons, round-tripped through a payload: action ids and values survive unchanged.
        var state = new CardState(InputKind.Question, "question.purchasing-process", null, [], new DraftNames("Acme", null, null, null), Suggestion: 1);
        var point = new Finding(
            "question.purchasing-process", Categories.SelfServing, Level.Nudge, Confidence.High, TrustFactor.SelfOrientation, "m", "w", "a?", ["s1", "s2"], "src", "");
        var rendered = BlockKitRenderer.Render(new CoachingCard(state, "h", point, null, [], null))["blocks"]!.AsArray()
            .Single(b => (string?)b!["block_id"] == BlockKitRenderer.FeedbackBlockId)!["elements"]!.AsArray();
        foreach (var button in rendered)
        {
            var payload = Edit(p => p["actions"] = new JsonArray(button!.DeepClone()));

            var action = Assert.IsType<SlackInteraction.BlockActions>(Parse(payload));

            Assert.Equal(button!["action_id"]!.GetValue<string>(), action.ActionId);
            Assert.Equal(state.ToData(), ButtonValue.Parse(action.Value));
        }
    }

    [Fact]
    public void Reads_only_the_first_action() =>
        Assert.Equal(CoachingActions.Why, Assert.IsType<SlackInteraction.BlockActions>(Parse(Edit(p => p["actions"] = new JsonArray(
            new JsonObject { ["action_id"] = CoachingActions.Why, ["value"] = "r" },
            new JsonObject { ["action_id"] = CoachingActions.Helpful, ["value"] = "r" })))).ActionId);

    [Fact]
    public void Reads_a_press_on_an_ephemeral_reply_from_its_container()
    {
        // Ephemeral messages come without "message"; the container still says where and that it is ephemeral.
        var action = Assert.IsType<SlackInteraction.BlockActions>(Parse(Edit(p =>
        {
            p.Remove("message");
            p["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1715000000.000300", ["channel_id"] = "C1", ["is_ephemeral"] = true };
            p["channel"] = new JsonObject { ["id"] = "C1", ["name"] = "sales" };
        })));

        Assert.Equal(("C1", "1715000000.000300", (string?)null, true), (action.ChannelId, action.MessageTs, action.ThreadTs, action.ContainerIsEphemeral));
    }

    [Fact]
    public void Reads_a_press_in_the_home_tab_as_having_no_channel_message_or_response_url()
    {
        var action = Assert.IsType<SlackInteraction.BlockActions>(Parse(Edit(p =>
        {
            p.Remove("message");
            p.Remove("channel");
            p.Remove("response_url");
            p["container"] = new JsonObject { ["type"] = "view", ["view_id"] = "V1" };
            p["view"] = new JsonObject { ["id"] = "V1", ["type"] = "home" };
        })));

        Assert.Equal((null, null, null, false), (action.ChannelId, action.MessageTs, action.ResponseUrl, action.ContainerIsEphemeral));
    }

    [Fact]
    public void Uses_the_users_workspace_when_an_org_wide_install_sends_no_team()
    {
        var action = Assert.IsType<SlackInteraction.BlockActions>(Parse(Edit(p =>
        {
            p["team"] = null;
            p["enterprise"] = new JsonObject { ["id"] = "E1", ["name"] = "Acme Group" };
            p["user"]!["team_id"] = "T7";
        })));

        Assert.Equal(("T7", "E1"), (action.TeamId, action.EnterpriseId));
    }

    [Fact]
    public void Reads_a_button_without_a_value() =>
        Assert.Null(Assert.IsType<SlackInteraction.BlockActions>(Parse(Edit(p => p["actions"]![0]!.AsObject().Remove("value")))).Value);

    [Theory]
    [InlineData("view_submission")]
    [InlineData("view_closed")]
    [InlineData("shortcut")]
    [InlineData("message_action")]
    [InlineData("block_suggestion")]
    public void Ignores_other_interaction_types_whatever_their_shape(string type) =>
        Assert.Equal(
            new SlackInteraction.Ignored(type),
            Parse($$$"""{"type":"{{{type}}}","user":"not an object","actions":"nor an array","view":{"id":"V1"}}"""));

    [Theory]
    [InlineData("""{"actions":[]}""")]
    [InlineData("""{"type":"block_actions","actions":[],"user":{"id":"U1"},"team":{"id":"T1"}}""")]
    [InlineData("""{"type":"block_actions","actions":[{"value":"x"}],"user":{"id":"U1"},"team":{"id":"T1"}}""")]
    [InlineData("""{"type":"block_actions","actions":[{"action_id":"coach_why"}],"team":{"id":"T1"}}""")]
    [InlineData("""{"type":"block_actions","actions":[{"action_id":"coach_why"}],"user":{"id":"U1"},"team":null}""")]
    [InlineData("""{"type":"block_actions","actions":"coach_why","user":{"id":"U1"},"team":{"id":"T1"}}""")]
    [InlineData("""{"type":42}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""not json""")]
    public void Gives_malformed_for_a_payload_slack_would_not_send(string payload) =>
        Assert.IsType<SlackInteraction.Malformed>(Parse(payload));

    [Theory]
    [InlineData("")]
    [InlineData("payload=")]
    [InlineData("payload=%7B%7D&payload=%7B%7D")]
    [InlineData("token=x&text=hello")]
    public void Gives_malformed_without_exactly_one_payload_field(string body) =>
        Assert.IsType<SlackInteraction.Malformed>(SlackInteractionParser.Parse(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Never_puts_the_payload_in_the_malformed_reason()
    {
        var malformed = Assert.IsType<SlackInteraction.Malformed>(Parse("{\"secret deal\": "));

        Assert.DoesNotContain("secret", malformed.Reason, StringComparison.Ordinal);
    }
}
