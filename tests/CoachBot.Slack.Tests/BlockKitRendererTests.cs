using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Coaching;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Replies;
using CoachBot.Coaching.Rules;

namespace CoachBot.Slack.Tests;

public sealed class BlockKitRendererTests
{
    private const string Draft = "What does your purchasing process look like?";

    private static readonly string[] BlockTypes = ["header", "section", "context", "actions"];

    private static readonly Lazy<Coach> Coach = new(() => new Coach(RulePackLoader.Load()));

    private static CoachingCard First(string draft = Draft) => CoachingCard.From(Coach.Value.Review(draft));

    private static Finding F(string message = "This question may sound like you are mapping the route to an order.", string why = "Their answer helps your forecast.") =>
        new("self-serving.buying-process", Categories.SelfServing, Level.Nudge, Confidence.High, TrustFactor.SelfOrientation, message, why,
            "What could you say first?", ["So what we send gets through, what does a proposal need to include?"], "https://example.com/a", "");

    private static CoachingCard Card(Finding point, bool why = false) =>
        new(new CardState(InputKind.Question, point.Rule, null, [], DraftNames.None, ShowWhy: why), "Worth another look before you ask.", point, null, [], null);

    private static JsonArray Blocks(JsonObject message) => message["blocks"]!.AsArray();

    // The text of every header, section and context block, in order; the actions blocks have no text of their own.
    private static List<string> Texts(JsonObject message) =>
        [.. Blocks(message).Select(b => (string?)b!["type"] switch
        {
            "header" or "section" => (string?)b!["text"]!["text"],
            "context" => (string?)b!["elements"]![0]!["text"],
            _ => null,
        }).OfType<string>()];

    private static string All(JsonObject message) => string.Join('\n', Texts(message));

    private static JsonArray Buttons(JsonObject message) =>
        Blocks(message).Last(b => (string?)b!["block_id"] == BlockKitRenderer.FeedbackBlockId)!["elements"]!.AsArray();

    private static string[] Labels(JsonObject message) => [.. Buttons(message).Select(b => (string)b!["text"]!["text"]!)];

    private static JsonObject Press(CoachingCard card, string action, string? reason = null) => BlockKitRenderer.Render(card.Press(action, reason));

    [Fact]
    public void The_first_view_is_what_was_noticed_the_rewrite_one_question_and_buttons()
    {
        var first = First();

        var message = BlockKitRenderer.Render(first);

        Assert.Equal(
            [first.Headline, $"*What I noticed:* {first.Point!.Message}", $"*Try (1 of 2):* \u201c{first.Rewrite}\u201d", $"*Ask yourself:* {first.Point.Ask}"],
            Texts(message));
        Assert.DoesNotContain("self-orientation", All(message), StringComparison.Ordinal);
        Assert.Equal(["Another suggestion", "Why does this matter?", CoachingActions.MoreLabel(first.MoreCount), "Helpful", "Not helpful"], Labels(message));
        Assert.InRange(All(message).Replace("*", "", StringComparison.Ordinal).Length + string.Concat(Labels(message)).Length, 1, 600);
    }

    [Fact]
    public void Why_adds_the_reasons_the_trust_factor_and_a_source_link_and_keeps_the_rewrite()
    {
        var first = First();

        var message = Press(first, CoachingActions.Why);

        Assert.Contains($"\u201c{first.Rewrite}\u201d", All(message), StringComparison.Ordinal);
        Assert.Contains("*Why it matters:* " + first.Point!.Why, All(message), StringComparison.Ordinal);
        Assert.Contains("self-orientation", All(message), StringComparison.Ordinal);
        Assert.Matches(@"Source: <https?://[^|>]+\|[a-z0-9.-]+>", All(message));
        Assert.DoesNotContain("Why does this matter?", Labels(message));
    }

    [Fact]
    public void Another_swaps_only_the_rewrite_and_says_which_of_how_many()
    {
        var first = First().Press(CoachingActions.Why);

        var message = Press(first, CoachingActions.Another);

        Assert.Contains($"*Try (2 of 2):* \u201c{first.Point!.Suggestions[1]}\u201d", Texts(message));
        Assert.DoesNotContain(first.Rewrite!, All(message), StringComparison.Ordinal);
        Assert.Contains(first.Point.Why, All(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Helpful_keeps_the_whole_message_and_turns_the_feedback_buttons_into_a_quiet_line()
    {
        var first = First();

        var message = Press(first, CoachingActions.Helpful);

        Assert.Equal([.. Texts(BlockKitRenderer.Render(first)), "Marked helpful. Thanks!"], Texts(message));
        Assert.Equal(["Another suggestion", "Why does this matter?", CoachingActions.MoreLabel(first.MoreCount), "Change"], Labels(message));
    }

    [Fact]
    public void Not_helpful_asks_one_optional_follow_up_counted_by_code()
    {
        var message = Press(First(), CoachingActions.NotHelpful);

        var reasons = Blocks(message).Single(b => (string?)b!["block_id"] == BlockKitRenderer.ReasonBlockId)!["elements"]!.AsArray();
        Assert.Equal(["Wrong call", "Rewrite not useful", "Tone"], reasons.Select(r => (string)r!["text"]!["text"]!));
        Assert.Equal(["wrong_call", "rewrite", "tone"], reasons.Select(r => ButtonValue.Parse((string?)r!["value"])["reason"]));
        Assert.All(reasons, r => Assert.Equal(CoachingActions.Reason, (string?)r!["action_id"]));
    }

    [Fact]
    public void Button_values_carry_the_cards_state_and_the_names_it_shows_never_the_draft()
    {
        var first = First("calling Acme tomorrow to check in");

        var buttons = Buttons(BlockKitRenderer.Render(first));

        Assert.All(buttons, b =>
        {
            var value = (string)b!["value"]!;
            Assert.DoesNotContain("tomorrow", value, StringComparison.Ordinal);
            Assert.True(value.Length <= 2000);
            Assert.Equal(first.State.ToData(), ButtonValue.Parse(value));
        });
        Assert.Equal("Acme", ButtonValue.Parse((string?)buttons[0]!["value"])["company"]);
    }

    [Fact]
    public void Old_button_values_still_read_as_a_rule_and_a_suggestion()
    {
        Assert.Equal(new Dictionary<string, string> { ["rule"] = "self-serving.budget", ["suggestion"] = "2" }, ButtonValue.Parse("self-serving.budget#2"));
        Assert.Equal(new Dictionary<string, string> { ["rule"] = "self-serving.budget", ["suggestion"] = "0" }, ButtonValue.Parse("self-serving.budget"));
        Assert.Empty(ButtonValue.Parse(null));
    }

    [Fact]
    public void Escapes_text_so_rule_wording_cannot_ping_a_channel_or_forge_a_link()
    {
        var message = BlockKitRenderer.Render(Card(F(message: "Tell <!channel> & <https://evil.example|your boss> now")));

        Assert.Contains("Tell &lt;!channel&gt; &amp; &lt;https://evil.example|your boss&gt; now", All(message), StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", message.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
    }

    [Fact]
    public void Cuts_section_text_to_three_thousand_characters()
    {
        var texts = Texts(BlockKitRenderer.Render(Card(F(why: new string('w', 5000)), why: true)));

        var why = Assert.Single(texts, t => t.StartsWith("*Why it matters:*", StringComparison.Ordinal));
        Assert.Equal(3000, why.Length);
        Assert.EndsWith("w\u2026", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_cuts_an_escaped_ampersand_in_half()
    {
        var why = Assert.Single(Texts(BlockKitRenderer.Render(Card(F(why: new string('&', 1000)), why: true))), t => t.StartsWith("*Why it matters:*", StringComparison.Ordinal));

        Assert.True(why.Length <= 3000);
        Assert.EndsWith("&amp;\u2026", why, StringComparison.Ordinal);
    }

    [Theory]
    // "&amp;" lands at every offset across the cut: the text is whole entities then the ellipsis, never a fragment.
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Cuts_before_an_entity_that_would_straddle_the_limit(int padding)
    {
        var escaped = new string('x', padding) + string.Concat(Enumerable.Repeat("&amp;", 10));

        var fitted = BlockKitRenderer.Fit(escaped, 20);

        Assert.True(fitted.Length <= 20);
        Assert.Matches("^x*(&amp;)*\u2026$", fitted);
    }

    [Fact]
    public void Never_cuts_an_emoji_in_half() =>
        Assert.Equal("a\U0001F44D\u2026", BlockKitRenderer.Fit("a" + string.Concat(Enumerable.Repeat("\U0001F44D", 10)), 5));

    [Fact]
    public void Cuts_the_header_to_one_hundred_and_fifty_characters()
    {
        var card = Card(F()) with { Headline = new string('h', 400) };

        Assert.Equal(150, ((string?)Blocks(BlockKitRenderer.Render(card))[0]!["text"]!["text"])!.Length);
    }

    [Fact]
    public void Gives_a_short_escaped_plain_text_fallback_for_notifications()
    {
        Assert.Equal(
            "Worth another look before you ask. This question may sound like you are mapping the route to an order.",
            (string?)BlockKitRenderer.Render(Card(F()))["text"]);
        var text = BlockKitRenderer.FallbackText(Card(F(message: "<@U1> " + new string('m', 1000))));
        Assert.True(text.Length <= 300);
        Assert.Contains("&lt;@U1&gt;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Renders_every_state_of_a_real_reply_as_valid_block_kit_json()
    {
        var first = First();
        CoachingCard[] states =
        [
            first, first.Press(CoachingActions.Why), first.Press(CoachingActions.More).Press(CoachingActions.Another),
            first.Press(CoachingActions.NotHelpful), first.Press(CoachingActions.NotHelpful).Press(CoachingActions.Reason, FeedbackReasons.Tone),
        ];

        foreach (var card in states)
        {
            using var parsed = JsonDocument.Parse(BlockKitRenderer.Render(card).ToJsonString());
            var blocks = parsed.RootElement.GetProperty("blocks");
            Assert.InRange(blocks.GetArrayLength(), 4, 50);
            Assert.All(blocks.EnumerateArray(), b => Assert.Contains(b.GetProperty("type").GetString(), BlockTypes));
            Assert.False(string.IsNullOrWhiteSpace(parsed.RootElement.GetProperty("text").GetString()));
        }
    }
}
