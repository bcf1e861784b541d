using System.Text;

namespace CoachBot.Teams.Tests;

public sealed class TeamsActivityParserTests
{
    private const string Bot = """{ "id": "28:bot-app-id", "name": "CoachBot" }""";
    private const string Rep = """{ "id": "29:rep", "name": "Rep", "aadObjectId": "aad-rep" }""";
    private const string Personal = """{ "id": "a:personal-chat", "conversationType": "personal", "tenantId": "tenant-1" }""";
    private const string Channel = """{ "id": "19:general@thread.tacv2;messageid=1481567603816", "conversationType": "channel", "isGroup": true, "tenantId": "tenant-1" }""";
    private const string TeamData = """{ "tenant": { "id": "tenant-1" }, "team": { "id": "19:team@thread.tacv2" }, "channel": { "id": "19:general@thread.tacv2" } }""";

    private static TeamsActivity Parse(string json) => TeamsActivityParser.Parse(Encoding.UTF8.GetBytes(json));

    private static string Activity(string type, string extra, string conversation = Personal) => $$"""
        {
          "type": "{{type}}", "id": "activity-1", "channelId": "msteams",
          "serviceUrl": "https://smba.trafficmanager.net/amer/",
          "from": {{Rep}}, "recipient": {{Bot}}, "conversation": {{conversation}}
          {{(extra.Length > 0 ? "," + extra : "")}}
        }
        """;

    [Fact]
    public void Reads_a_personal_message_with_its_reply_address()
    {
        var message = Assert.IsType<MessageReceived>(Parse(Activity("message", """
            "text": "What does your purchasing process look like?", "channelData": { "tenant": { "id": "tenant-1" } }
            """)));

        Assert.Equal("What does your purchasing process look like?", message.Text);
        Assert.Equal("activity-1", message.ActivityId);
        Assert.Equal(
            new TeamsAddress("https://smba.trafficmanager.net/amer/", "msteams", "a:personal-chat", TeamsScope.Personal,
                "28:bot-app-id", "tenant-1", "29:rep", "aad-rep", null, null),
            message.Address);
    }

    [Fact]
    public void Removes_the_bots_mention_from_a_channel_message()
    {
        var message = Assert.IsType<MessageReceived>(Parse(Activity("message", """
            "text": "\r\n<at>CoachBot</at> Do you have budget set aside?",
            "entities": [ { "type": "mention", "mentioned": { "id": "28:bot-app-id", "name": "CoachBot" }, "text": "<at>CoachBot</at>" } ],
            "channelData":
            """ + TeamData, Channel)));

        Assert.Equal("Do you have budget set aside?", message.Text);
        Assert.Equal(TeamsScope.Channel, message.Address.Scope);
        Assert.Equal("19:team@thread.tacv2", message.Address.TeamId);
        Assert.Equal("19:general@thread.tacv2", message.Address.TeamChannelId);
    }

    [Fact]
    public void Falls_back_to_the_mentioned_name_when_the_entity_has_no_text()
    {
        var message = Assert.IsType<MessageReceived>(Parse(Activity("message", """
            "text": "<at>CoachBot</at> calling Acme tomorrow",
            "entities": [ { "type": "mention", "mentioned": { "id": "28:bot-app-id", "name": "CoachBot" } } ]
            """, Channel)));

        Assert.Equal("calling Acme tomorrow", message.Text);
    }

    [Fact]
    public void Keeps_other_peoples_names_when_it_removes_their_mention_markup()
    {
        // Teams writes "<at>Tom</at>is" with no space; the name must not run into the next word.
        var message = Assert.IsType<MessageReceived>(Parse(Activity("message", """
            "text": "<at>CoachBot</at> should I ask <at id=\"1\">Tom</at>is the budget set?",
            "entities": [
              { "type": "mention", "mentioned": { "id": "28:bot-app-id", "name": "CoachBot" }, "text": "<at>CoachBot</at>" },
              { "type": "mention", "mentioned": { "id": "29:tom", "name": "Tom" }, "text": "<at id=\"1\">Tom</at>" } ]
            """, Channel)));

        Assert.Equal("should I ask Tom is the budget set?", message.Text);
    }

    [Fact]
    public void Leaves_angle_brackets_that_are_not_mentions_alone()
    {
        var message = Assert.IsType<MessageReceived>(Parse(Activity("message", """
            "text": "is <atom> better than <at>Ann</at>?"
            """)));

        Assert.Equal("is <atom> better than Ann?", message.Text);
    }

    [Fact]
    public void Ignores_a_message_that_is_only_a_mention_of_the_bot()
    {
        var ignored = Assert.IsType<IgnoredActivity>(Parse(Activity("message", """
            "text": "<at>CoachBot</at>",
            "entities": [ { "type": "mention", "mentioned": { "id": "28:bot-app-id" }, "text": "<at>CoachBot</at>" } ]
            """, Channel)));

        Assert.Equal("message without text", ignored.Reason);
    }

    [Fact]
    public void Reads_an_action_submit_as_a_card_submission()
    {
        var submit = Assert.IsType<CardSubmitted>(Parse(Activity("message", """
            "text": "", "value": { "verb": "coach_why", "rule": "self-serving.budget", "suggestion": "0", "count": 3 }
            """)));

        Assert.Equal("coach_why", submit.Verb);
        // The verb is taken out of the data; non-string values are dropped.
        Assert.Equal(new Dictionary<string, string> { ["rule"] = "self-serving.budget", ["suggestion"] = "0" }, submit.Data);
    }

    [Fact]
    public void Ignores_a_card_submission_without_a_verb() =>
        Assert.Equal("card submit without a verb", Assert.IsType<IgnoredActivity>(Parse(Activity("message", """
            "value": { "rule": "self-serving.budget" }
            """))).Reason);

    [Fact]
    public void Reads_an_adaptive_card_action_invoke_with_its_verb_and_data()
    {
        var invoke = Assert.IsType<CardActionInvoked>(Parse(Activity("invoke", """
            "name": "adaptiveCard/action",
            "value": { "action": { "type": "Action.Execute", "verb": "coach_another", "data": { "rule": "self-serving.budget", "suggestion": "1" } }, "trigger": "manual" }
            """)));

        Assert.Equal("coach_another", invoke.Verb);
        Assert.Equal("self-serving.budget", invoke.Data["rule"]);
        Assert.Equal("activity-1", invoke.ActivityId);
    }

    [Theory]
    [InlineData("""{ "action": { "type": "Action.Submit", "verb": "coach_why" } }""", "adaptiveCard/action whose action is not Action.Execute")]
    [InlineData("""{ "action": { "type": "Action.Execute" } }""", "adaptiveCard/action without a verb")]
    [InlineData("""{ "trigger": "manual" }""", "adaptiveCard/action without value.action")]
    [InlineData("\"coach_why\"", "adaptiveCard/action without value.action")]
    public void Calls_an_adaptive_card_action_without_a_usable_action_malformed(string value, string reason) =>
        Assert.Equal(reason, Assert.IsType<MalformedActivity>(Parse(Activity("invoke", $$"""
            "name": "adaptiveCard/action", "value": {{value}}
            """))).Reason);

    [Fact]
    public void Ignores_other_invokes() =>
        Assert.Equal("invoke task/fetch", Assert.IsType<IgnoredActivity>(Parse(Activity("invoke", """
            "name": "task/fetch", "value": {}
            """))).Reason);

    [Theory]
    [InlineData("add")]
    [InlineData("Add")] // the docs show both spellings
    public void Reads_an_installation_add_as_installed(string action)
    {
        var installed = Assert.IsType<BotInstalled>(Parse(Activity("installationUpdate", $$"""
            "action": "{{action}}", "channelData": {{TeamData}}
            """, Channel)));

        Assert.Equal("19:team@thread.tacv2", installed.Address.TeamId);
        Assert.Equal("tenant-1", installed.Address.TenantId);
    }

    [Fact]
    public void Reads_an_installation_remove_as_uninstalled() =>
        Assert.IsType<BotUninstalled>(Parse(Activity("installationUpdate", """ "action": "remove" """)));

    [Theory]
    [InlineData("add-upgrade")] // an app update, not a new install
    [InlineData("remove-upgrade")]
    public void Ignores_installation_upgrades(string action) =>
        Assert.IsType<IgnoredActivity>(Parse(Activity("installationUpdate", $$""" "action": "{{action}}" """)));

    [Fact]
    public void Reads_the_bot_joining_a_team_as_installed()
    {
        var installed = Assert.IsType<BotInstalled>(Parse(Activity("conversationUpdate", $$"""
            "membersAdded": [ { "id": "28:bot-app-id" } ], "channelData": {{TeamData}}
            """, Channel)));

        Assert.Equal(TeamsScope.Channel, installed.Address.Scope);
    }

    [Fact]
    public void Ignores_someone_else_joining_the_conversation() =>
        Assert.Equal("conversationUpdate without the bot in membersAdded", Assert.IsType<IgnoredActivity>(Parse(
            Activity("conversationUpdate", """ "membersAdded": [ { "id": "29:new-colleague" } ] """))).Reason);

    [Theory]
    [InlineData("messageReaction")]
    [InlineData("typing")]
    [InlineData("someTypeTeamsAddsNextYear")]
    public void Ignores_every_other_activity_type_but_keeps_what_authentication_needs(string type)
    {
        var ignored = Assert.IsType<IgnoredActivity>(Parse(Activity(type, "")));

        Assert.Equal($"activity type {type}", ignored.Reason);
        Assert.Equal("msteams", ignored.ChannelId);
        Assert.Equal("https://smba.trafficmanager.net/amer/", ignored.ServiceUrl);
    }

    [Fact]
    public void Reads_activity_types_without_regard_to_case() =>
        Assert.IsType<MessageReceived>(Parse(Activity("Message", """ "text": "hello" """)));

    [Theory]
    [InlineData("{ not json", "body is not valid activity JSON")]
    [InlineData("", "body is not valid activity JSON")]
    [InlineData("[]", "body is not valid activity JSON")]
    [InlineData("null", "body is not a JSON object")]
    [InlineData("""{ "text": "hi" }""", "activity has no type")]
    [InlineData("""{ "type": 7 }""", "body is not valid activity JSON")] // a field of the wrong JSON kind
    public void Calls_a_body_that_is_not_an_activity_malformed(string body, string reason) =>
        Assert.Equal(reason, Assert.IsType<MalformedActivity>(Parse(body)).Reason);

    [Fact]
    public void Calls_a_message_without_a_conversation_malformed_but_keeps_what_authentication_needs()
    {
        var malformed = Assert.IsType<MalformedActivity>(Parse("""
            { "type": "message", "id": "1", "channelId": "msteams", "serviceUrl": "https://smba.trafficmanager.net/amer/",
              "recipient": { "id": "28:bot-app-id" }, "text": "hi" }
            """));

        Assert.Equal("message has no conversation.id", malformed.Reason);
        Assert.Equal("msteams", malformed.ChannelId);
    }

    [Fact]
    public void Never_puts_message_text_in_a_reason()
    {
        var secret = "our discount is 40 percent";

        var results = new[]
        {
            Parse($$"""{ "type": "message", "text": "{{secret}}" }"""),
            Parse($$"""{ "type": "message", "text": "{{secret}}", "channelId": 5 }"""),
        };

        Assert.All(results, r => Assert.DoesNotContain(secret, r.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Clips_long_names_from_the_body_in_reasons()
    {
        var ignored = Assert.IsType<IgnoredActivity>(Parse(Activity(new string('x', 10_000), "")));

        Assert.True(ignored.Reason.Length < 100);
    }
}
