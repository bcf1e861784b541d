using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Coaching;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Replies;
using CoachBot.Coaching.Rules;

namespace CoachBot.Teams.Tests;

public sealed class AdaptiveCardRendererTests
{
    private const string Draft = "What does your purchasing process look like?";

    private static readonly Lazy<Coach> Coach = new(() => new Coach(RulePackLoader.Load()));

    private static CoachingCard First(string draft = Draft) => CoachingCard.From(Coach.Value.Review(draft));

    private static IEnumerable<string> Texts(JsonNode node) => node switch
    {
        JsonObject o when (string?)o["type"] == "TextBlock" => [(string)o["text"]!],
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Texts(p.Value)),
        JsonArray a => a.SelectMany(n => n is null ? [] : Texts(n)),
        _ => [],
    };

    private static string Body(JsonObject card) => string.Join('\n', Texts(card["body"]!));

    private static string[] Titles(JsonObject card) => [.. card["actions"]!.AsArray().Select(a => (string)a!["title"]!)];

    private static JsonObject Press(CoachingCard card, string action, string? reason = null) => AdaptiveCardRenderer.Card(card.Press(action, reason));

    [Fact]
    public void Wraps_the_card_as_an_adaptive_card_attachment_of_version_1_5()
    {
        var attachment = AdaptiveCardRenderer.Attachment(Coach.Value.Review(Draft));

        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        var card = attachment["content"]!.AsObject();
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        // Action.Execute needs 1.5.
        Assert.Equal("1.5", (string?)card["version"]);
    }

    [Fact]
    public void The_activity_carries_one_card_a_summary_and_no_duplicated_text()
    {
        var activity = AdaptiveCardRenderer.Activity(Coach.Value.Review(Draft));

        Assert.Null(activity["text"]);
        Assert.Single(activity["attachments"]!.AsArray());
        Assert.StartsWith("Worth another look before you ask. This question may", (string?)activity["summary"], StringComparison.Ordinal);
        var fallback = (string)activity["attachments"]![0]!["content"]!["fallbackText"]!;
        Assert.Contains("What I noticed:", fallback, StringComparison.Ordinal);
        Assert.Contains("Try (1 of 2):", fallback, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_view_is_what_was_noticed_the_rewrite_one_question_and_buttons()
    {
        var first = First();

        var card = AdaptiveCardRenderer.Card(first);
        var body = Body(card);

        Assert.Equal(
            [first.Headline, $"**What I noticed:** {first.Point!.Message}", $"**Try (1 of 2):** \u201c{first.Rewrite}\u201d", $"**Ask yourself:** {first.Point.Ask}"],
            Texts(card["body"]!));
        Assert.DoesNotContain(first.Point.Why, body, StringComparison.Ordinal);
        Assert.DoesNotContain("self-orientation", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Source", body, StringComparison.Ordinal);
        Assert.Equal(["Another suggestion", "Why does this matter?", CoachingActions.MoreLabel(first.MoreCount), "Helpful", "Not helpful"], Titles(card));
        Assert.InRange(body.Replace("**", "", StringComparison.Ordinal).Length + string.Concat(Titles(card)).Length, 1, 600);
    }

    [Fact]
    public void Why_adds_the_reasons_the_trust_factor_and_a_source_link_and_keeps_the_rewrite()
    {
        var first = First();

        var card = Press(first, CoachingActions.Why);
        var body = Body(card);

        Assert.Contains($"\u201c{first.Rewrite}\u201d", body, StringComparison.Ordinal);
        Assert.Contains(first.Point!.Why, body, StringComparison.Ordinal);
        Assert.Contains("self-orientation", body, StringComparison.Ordinal);
        Assert.Matches(@"Source: \[[a-z0-9.-]+\]\(https?://", body);
        Assert.DoesNotContain("Why does this matter?", Titles(card));
    }

    [Fact]
    public void Another_swaps_only_the_rewrite_and_says_which_of_how_many()
    {
        var first = First().Press(CoachingActions.Why);

        var card = Press(first, CoachingActions.Another);
        var body = Body(card);

        Assert.Contains($"**Try (2 of 2):** \u201c{first.Point!.Suggestions[1]}\u201d", body, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Rewrite!, body, StringComparison.Ordinal);
        Assert.Contains(first.Point.Message, body, StringComparison.Ordinal);
        Assert.Contains(first.Point.Why, body, StringComparison.Ordinal);
    }

    [Fact]
    public void Helpful_keeps_the_whole_card_and_turns_the_feedback_buttons_into_a_quiet_line()
    {
        var first = First();

        var card = Press(first, CoachingActions.Helpful);

        Assert.StartsWith(Body(AdaptiveCardRenderer.Card(first)), Body(card), StringComparison.Ordinal);
        Assert.EndsWith("Marked helpful. Thanks!", Body(card), StringComparison.Ordinal);
        Assert.Equal(["Another suggestion", "Why does this matter?", CoachingActions.MoreLabel(first.MoreCount), "Change"], Titles(card));
    }

    [Fact]
    public void Not_helpful_keeps_the_card_and_asks_one_optional_follow_up()
    {
        var first = First();

        var card = Press(first, CoachingActions.NotHelpful);
        var reasons = card["body"]!.AsArray().Single(b => (string?)b!["type"] == "ActionSet")!["actions"]!.AsArray();

        Assert.Contains($"\u201c{first.Rewrite}\u201d", Body(card), StringComparison.Ordinal);
        Assert.Equal(["Wrong call", "Rewrite not useful", "Tone"], reasons.Select(r => (string)r!["title"]!));
        Assert.All(reasons, r => Assert.Equal(CoachingActions.Reason, (string?)r!["verb"]));
        Assert.Equal(["wrong_call", "rewrite", "tone"], reasons.Select(r => (string)r!["data"]!["reason"]!));

        var answered = Press(first.Press(CoachingActions.NotHelpful), CoachingActions.Reason, FeedbackReasons.Rewrite);
        Assert.DoesNotContain(answered["body"]!.AsArray(), b => (string?)b!["type"] == "ActionSet");
        Assert.Contains("(rewrite not useful)", Body(answered), StringComparison.Ordinal);
    }

    [Fact]
    public void One_more_thing_adds_the_other_points_below_and_keeps_the_rewrite()
    {
        var first = First();

        var card = Press(first, CoachingActions.More);

        Assert.Contains($"\u201c{first.Rewrite}\u201d", Body(card), StringComparison.Ordinal);
        Assert.All(first.More, f => Assert.Contains(f.Message, Body(card), StringComparison.Ordinal));
        Assert.DoesNotContain(CoachingActions.MoreLabel(first.MoreCount), Titles(card));
    }

    [Fact]
    public void Button_data_carries_the_cards_state_and_the_names_it_shows_never_the_draft()
    {
        var first = First("calling Acme tomorrow to check in");

        var actions = AdaptiveCardRenderer.Card(first)["actions"]!.AsArray();

        Assert.All(actions, a =>
        {
            var data = a!["data"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
            Assert.Equal(first.State.ToData(), data);
            Assert.DoesNotContain("calling Acme tomorrow", a.ToJsonString(), StringComparison.Ordinal);
        });
        Assert.Equal("Acme", (string?)actions[0]!["data"]!["company"]);
    }

    [Fact]
    public void Gives_each_button_an_action_submit_fallback_that_carries_the_verb()
    {
        var actions = AdaptiveCardRenderer.Card(First())["actions"]!.AsArray();

        Assert.All(actions, a =>
        {
            var fallback = a!["fallback"]!;
            Assert.Equal("Action.Submit", (string?)fallback["type"]);
            Assert.Equal((string?)a["verb"], (string?)fallback["data"]!["verb"]);
            Assert.Equal("self-serving.buying-process", (string?)fallback["data"]!["rule"]);
        });
    }

    [Fact]
    public void A_fallback_button_press_parses_back_to_the_same_verb_and_state()
    {
        var first = First();
        var fallback = AdaptiveCardRenderer.Card(first)["actions"]![1]!["fallback"]!;
        var activity = $$"""
            { "type": "message", "id": "2", "channelId": "msteams", "serviceUrl": "https://smba.trafficmanager.net/amer/",
              "recipient": { "id": "28:bot" }, "conversation": { "id": "a:chat" }, "value": {{fallback["data"]!.ToJsonString()}} }
            """;

        var submit = Assert.IsType<CardSubmitted>(TeamsActivityParser.Parse(Encoding.UTF8.GetBytes(activity)));

        Assert.Equal(CoachingActions.Why, submit.Verb);
        Assert.Equal(first.State, CardState.FromData(submit.Data, _ => false) with { More = first.State.More });
    }

    [Fact]
    public void Praise_alone_points_the_buttons_at_the_praise()
    {
        var first = First("What happens to your renewal rate if onboarding keeps taking six weeks?");

        var card = AdaptiveCardRenderer.Card(first);

        Assert.Contains("**What's working:**", Body(card), StringComparison.Ordinal);
        Assert.All(card["actions"]!.AsArray(), a => Assert.Equal(first.Praise!.Rule, (string?)a!["data"]!["rule"]));
    }

    [Fact]
    public void Has_no_buttons_when_no_rule_fired()
    {
        var card = new CoachingCard(new CardState(InputKind.Question, null, null, [], DraftNames.None), "Looks good to me.", null, null, [], "Before you ask: what will the customer get from answering?");

        Assert.Null(AdaptiveCardRenderer.Card(card)["actions"]);
    }

    [Fact]
    public void Answers_a_card_action_with_the_replacement_card_in_the_invoke_response_shape()
    {
        var response = AdaptiveCardRenderer.CardInvokeResponse(First().Press(CoachingActions.Another));

        Assert.Equal(200, (int?)response["statusCode"]);
        // "card.adaptive", not "adaptive.card": the wrong one shows "Something went wrong" in Teams.
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)response["type"]);
        Assert.Equal("AdaptiveCard", (string?)response["value"]!["type"]);
        Assert.Contains("(2 of 2)", Body(response["value"]!.AsObject()), StringComparison.Ordinal);
    }

    [Fact]
    public void Answers_with_a_toast_message_in_the_invoke_response_shape()
    {
        var response = AdaptiveCardRenderer.MessageInvokeResponse("Thanks for the feedback.");

        Assert.Equal(
            """{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"Thanks for the feedback."}""",
            response.ToJsonString());
    }
}
