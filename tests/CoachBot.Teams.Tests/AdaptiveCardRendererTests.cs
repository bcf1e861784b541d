using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Messages;

namespace CoachBot.Teams.Tests;

public sealed class AdaptiveCardRendererTests
{
    private const string Draft = "Do you have budget set aside for this quarter?";

    private static readonly Finding Budget = new(
        "self-serving.budget", Categories.SelfServing, Level.Nudge, Confidence.High, TrustFactor.SelfOrientation,
        "This question may mostly help you qualify the deal.",
        "Budget asked bare tells the customer you are sizing them up.",
        "What would the customer get from telling you their budget?",
        ["So we only propose what fits, what range are you working within?", "What would make this worth funding this year?"],
        "https://example.test/source",
        Draft);

    private static readonly Finding GoodQuestion = new(
        "good-question.implication", Categories.GoodQuestion, Level.Praise, Confidence.Medium, TrustFactor.Intimacy,
        "This question asks about a consequence the customer already feels.",
        "Consequences make the status quo costly.",
        "What follow-up would help them quantify it?",
        ["Keep it."],
        "https://example.test/praise",
        Draft);

    private static CoachingReply Reply(IReadOnlyList<Finding> points, Finding? praise = null) => new(
        Draft, InputKind.Question, points.Count > 0 ? Verdict.Revise : Verdict.Ok,
        [.. points, .. praise is null ? [] : new[] { praise }], points, praise, [TrustFactor.SelfOrientation],
        points.Count > 0 ? "Worth another look before you ask." : "Nice one.",
        "Send me your next draft and I'll take another look.");

    private static IEnumerable<string> Texts(JsonNode node) => node switch
    {
        JsonObject o when (string?)o["type"] == "TextBlock" => [(string)o["text"]!],
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Texts(p.Value)),
        JsonArray a => a.SelectMany(n => n is null ? [] : Texts(n)),
        _ => [],
    };

    private static JsonArray Actions(JsonObject card) => card["actions"]!.AsArray();

    [Fact]
    public void Wraps_the_card_as_an_adaptive_card_attachment_of_version_1_5()
    {
        var attachment = AdaptiveCardRenderer.Attachment(Reply([Budget]));

        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        var card = attachment["content"]!.AsObject();
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        // Action.Execute needs 1.5.
        Assert.Equal("1.5", (string?)card["version"]);
    }

    [Fact]
    public void Shows_what_it_noticed_why_the_question_to_ask_and_a_rewrite()
    {
        var texts = Texts(AdaptiveCardRenderer.Card(Reply([Budget]))["body"]!).ToList();

        Assert.Contains(Budget.Message, texts);
        Assert.Contains(Budget.Why, texts);
        Assert.Contains(Budget.Ask, texts);
        Assert.Contains($"\u201c{Budget.Suggestions[0]}\u201d", texts);
        Assert.Contains($"In: \u201c{Draft}\u201d", texts);
        Assert.Equal(["What I noticed", "Why it matters", "Ask yourself", "Try"], texts.Where(t => t is "What I noticed" or "Why it matters" or "Ask yourself" or "Try"));
    }

    [Fact]
    public void Shows_praise_when_it_was_earned()
    {
        var texts = Texts(AdaptiveCardRenderer.Card(Reply([], GoodQuestion))["body"]!).ToList();

        Assert.Contains("What's working", texts);
        Assert.Contains(GoodQuestion.Message, texts);
        Assert.DoesNotContain("What I noticed", texts);
    }

    [Fact]
    public void Carries_a_plain_text_fallback_for_clients_that_cannot_draw_cards()
    {
        var fallback = (string)AdaptiveCardRenderer.Card(Reply([Budget], GoodQuestion))["fallbackText"]!;

        Assert.StartsWith("Worth another look before you ask.", fallback, StringComparison.Ordinal);
        Assert.Contains($"What I noticed: {Budget.Message}", fallback, StringComparison.Ordinal);
        Assert.Contains($"Try: \u201c{Budget.Suggestions[0]}\u201d", fallback, StringComparison.Ordinal);
        Assert.Contains($"What's working: {GoodQuestion.Message}", fallback, StringComparison.Ordinal);
    }

    [Fact]
    public void Offers_four_universal_action_buttons_about_the_main_point()
    {
        var actions = Actions(AdaptiveCardRenderer.Card(Reply([Budget])));

        Assert.Equal(
            [
                ("Action.Execute", "Another suggestion", "coach_another"),
                ("Action.Execute", "Why does this matter?", "coach_why"),
                ("Action.Execute", "Helpful", "coach_helpful"),
                ("Action.Execute", "Not helpful", "coach_not_helpful"),
            ],
            actions.Select(a => ((string)a!["type"]!, (string)a["title"]!, (string)a["verb"]!)));
        Assert.All(actions, a => Assert.Equal("self-serving.budget", (string?)a!["data"]!["rule"]));
    }

    [Fact]
    public void Gives_each_button_an_action_submit_fallback_that_carries_the_verb()
    {
        var actions = Actions(AdaptiveCardRenderer.Card(Reply([Budget])));

        Assert.All(actions, a =>
        {
            var fallback = a!["fallback"]!;
            Assert.Equal("Action.Submit", (string?)fallback["type"]);
            Assert.Equal((string?)a["verb"], (string?)fallback["data"]!["verb"]);
            Assert.Equal("self-serving.budget", (string?)fallback["data"]!["rule"]);
        });
    }

    [Fact]
    public void Keeps_the_reps_text_out_of_button_data()
    {
        var actions = Actions(AdaptiveCardRenderer.Card(Reply([Budget], GoodQuestion))).ToJsonString();

        Assert.DoesNotContain("budget set aside", actions, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Budget.Suggestions[0], actions, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_suggestion_shows_the_next_rewrite_and_wraps_around()
    {
        var second = AdaptiveCardRenderer.Card(Reply([Budget]), suggestion: 1);
        var third = AdaptiveCardRenderer.Card(Reply([Budget]), suggestion: 2);

        Assert.Contains($"\u201c{Budget.Suggestions[1]}\u201d", Texts(second["body"]!));
        Assert.Contains($"\u201c{Budget.Suggestions[0]}\u201d", Texts(third["body"]!));
        Assert.Equal("2", (string?)Actions(second)[0]!["data"]!["suggestion"]);
    }

    [Fact]
    public void Points_the_buttons_at_the_praise_when_nothing_needs_work() =>
        Assert.All(Actions(AdaptiveCardRenderer.Card(Reply([], GoodQuestion))),
            a => Assert.Equal("good-question.implication", (string?)a!["data"]!["rule"]));

    [Fact]
    public void Has_no_buttons_when_no_rule_fired() =>
        // Nothing to explain or rate, so no actions to press.
        Assert.Null(AdaptiveCardRenderer.Card(Reply([]))["actions"]);

    [Fact]
    public void Answers_a_card_action_with_the_replacement_card_in_the_invoke_response_shape()
    {
        var response = AdaptiveCardRenderer.CardInvokeResponse(Reply([Budget]), suggestion: 1);

        Assert.Equal(200, (int?)response["statusCode"]);
        // "card.adaptive", not "adaptive.card": the wrong one shows "Something went wrong" in Teams.
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)response["type"]);
        Assert.Equal("AdaptiveCard", (string?)response["value"]!["type"]);
        Assert.Contains($"\u201c{Budget.Suggestions[1]}\u201d", Texts(response["value"]!));
    }

    [Fact]
    public void Answers_feedback_with_a_toast_message_in_the_invoke_response_shape()
    {
        var response = AdaptiveCardRenderer.MessageInvokeResponse("Thanks for the feedback.");

        Assert.Equal(
            """{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"Thanks for the feedback."}""",
            response.ToJsonString());
    }

    [Fact]
    public void A_fallback_button_press_parses_back_to_the_same_verb_and_rule()
    {
        var fallback = Actions(AdaptiveCardRenderer.Card(Reply([Budget])))[1]!["fallback"]!;
        var activity = $$"""
            { "type": "message", "id": "2", "channelId": "msteams", "serviceUrl": "https://smba.trafficmanager.net/amer/",
              "recipient": { "id": "28:bot" }, "conversation": { "id": "a:chat" }, "value": {{fallback["data"]!.ToJsonString()}} }
            """;

        var submit = Assert.IsType<CardSubmitted>(TeamsActivityParser.Parse(Encoding.UTF8.GetBytes(activity)));

        Assert.Equal(CoachingActions.Why, submit.Verb);
        Assert.Equal("self-serving.budget", submit.Data["rule"]);
    }
}
