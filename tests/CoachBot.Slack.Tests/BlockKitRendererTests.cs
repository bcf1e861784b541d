using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Coaching;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Rules;

namespace CoachBot.Slack.Tests;

public sealed class BlockKitRendererTests
{
    private const string Draft = "What does your purchasing process look like?";

    private static Finding F(
        string rule = "self-serving.purchasing-process",
        Level level = Level.Nudge,
        string message = "This question may sound like you are mapping the route to an order.",
        string why = "Their answer helps your forecast, not them.",
        string ask = "What could you say first?",
        string suggestion = "So what we send gets through, what does a proposal need to include?",
        string excerpt = Draft) =>
        new(rule, Categories.SelfServing, level, Confidence.High, TrustFactor.SelfOrientation, message, why, ask, [suggestion], "https://example.com", excerpt);

    private static CoachingReply Reply(List<Finding> points, Finding? praise = null) =>
        new(Draft, InputKind.Question, points.Count > 0 ? Verdict.Revise : Verdict.Ok, [.. points, .. praise is null ? [] : new[] { praise }],
            points, praise, [TrustFactor.SelfOrientation], "Worth another look before you ask.", "Send me your next draft and I'll take another look.");

    private static JsonArray Blocks(JsonObject message) => message["blocks"]!.AsArray();

    // The text of every header, section and context block, in order; the actions block has no text of its own.
    private static IEnumerable<string> Texts(JsonObject message) =>
        Blocks(message).Select(b => (string?)b!["type"] switch
        {
            "header" or "section" => (string?)b!["text"]!["text"],
            "context" => (string?)b!["elements"]![0]!["text"],
            _ => null,
        }).OfType<string>();

    private static JsonArray Buttons(JsonObject message) => Blocks(message)[^1]!["elements"]!.AsArray();

    [Fact]
    public void Renders_what_it_noticed_why_the_question_to_ask_and_a_rewrite()
    {
        var texts = Texts(BlockKitRenderer.Render(Reply([F()]))).ToList();

        Assert.Equal("Worth another look before you ask.", texts[0]);
        Assert.Contains("*What I noticed:* This question may sound like you are mapping the route to an order.\nIn: \"" + Draft + "\"", texts);
        Assert.Contains("*Why it matters:* Their answer helps your forecast, not them.", texts);
        Assert.Contains("*Ask yourself:* What could you say first?", texts);
        Assert.Contains("*Try:* \"So what we send gets through, what does a proposal need to include?\"", texts);
        Assert.Contains("Trust equation: touches self-orientation", texts);
        Assert.Contains("Send me your next draft and I'll take another look.", texts);
    }

    [Fact]
    public void Starts_with_a_header_and_ends_with_the_feedback_buttons()
    {
        var blocks = Blocks(BlockKitRenderer.Render(Reply([F()])));

        Assert.Equal("header", (string?)blocks[0]!["type"]);
        Assert.Equal("plain_text", (string?)blocks[0]!["text"]!["type"]);
        Assert.Equal("actions", (string?)blocks[^1]!["type"]);
        Assert.Equal("coach_feedback", (string?)blocks[^1]!["block_id"]);
    }

    [Fact]
    public void Renders_four_buttons_with_fixed_action_ids()
    {
        var buttons = Buttons(BlockKitRenderer.Render(Reply([F()])));

        Assert.Equal(["coach_another", "coach_why", "coach_helpful", "coach_not_helpful"], buttons.Select(b => (string?)b!["action_id"]));
        Assert.Equal(["Another suggestion", "Why does this matter?", "Helpful", "Not helpful"], buttons.Select(b => (string?)b!["text"]!["text"]));
        Assert.All(buttons, b => Assert.Equal("button", (string?)b!["type"]));
    }

    [Fact]
    public void Button_values_carry_the_rule_id_and_never_the_message_text()
    {
        var buttons = Buttons(BlockKitRenderer.Render(Reply([F(rule: "self-serving.purchasing-process"), F(rule: "leading.loaded")])));

        Assert.All(buttons, b => Assert.Equal("self-serving.purchasing-process", (string?)b!["value"]));
        Assert.DoesNotContain("purchasing process look like", buttons.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Button_values_carry_the_praise_rule_when_nothing_needs_work()
    {
        var buttons = Buttons(BlockKitRenderer.Render(Reply([], praise: F(rule: "good-question.implication", level: Level.Praise))));

        Assert.All(buttons, b => Assert.Equal("good-question.implication", (string?)b!["value"]));
    }

    [Fact]
    public void Leaves_button_values_out_when_no_rule_fired()
    {
        // Slack rejects an empty value; an absent one is fine.
        var buttons = Buttons(BlockKitRenderer.Render(Reply([])));

        Assert.Equal(4, buttons.Count);
        Assert.All(buttons, b => Assert.False(b!.AsObject().ContainsKey("value")));
    }

    [Fact]
    public void Renders_praise_when_present()
    {
        var praise = F(rule: "good-question.implication", level: Level.Praise, message: "This question asks about a consequence.", why: "It makes them think.", ask: "What would you ask next?");

        var texts = Texts(BlockKitRenderer.Render(Reply([], praise)));

        Assert.Contains("*What's working:* This question asks about a consequence.\n*Why it works:* It makes them think.\n*To go further:* What would you ask next?", texts);
    }

    [Fact]
    public void Leaves_out_the_excerpt_line_when_there_is_no_excerpt()
    {
        var texts = Texts(BlockKitRenderer.Render(Reply([F(excerpt: "")])));

        Assert.Contains("*What I noticed:* This question may sound like you are mapping the route to an order.", texts);
    }

    [Fact]
    public void Does_not_quote_a_suggestion_that_already_quotes_something()
    {
        var texts = Texts(BlockKitRenderer.Render(Reply([F(suggestion: "Replace \"just checking in\" with the customer's next step.")])));

        Assert.Contains("*Try:* Replace \"just checking in\" with the customer's next step.", texts);
    }

    [Fact]
    public void Escapes_text_so_a_draft_cannot_ping_a_channel_or_forge_a_link()
    {
        var message = BlockKitRenderer.Render(Reply([F(excerpt: "Tell <!channel> & <https://evil.example|your boss> now")]));

        Assert.Contains("In: \"Tell &lt;!channel&gt; &amp; &lt;https://evil.example|your boss&gt; now\"", Texts(message).First(t => t.StartsWith("*What I noticed:*", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", message.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
    }

    [Fact]
    public void Cuts_section_text_to_three_thousand_characters()
    {
        var texts = Texts(BlockKitRenderer.Render(Reply([F(why: new string('w', 5000))]))).ToList();

        var why = Assert.Single(texts, t => t.StartsWith("*Why it matters:*", StringComparison.Ordinal));
        Assert.Equal(3000, why.Length);
        Assert.EndsWith("w\u2026", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_cuts_an_escaped_ampersand_in_half()
    {
        var why = Assert.Single(Texts(BlockKitRenderer.Render(Reply([F(why: new string('&', 1000))]))), t => t.StartsWith("*Why it matters:*", StringComparison.Ordinal));

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
    public void Never_cuts_an_emoji_in_half()
    {
        var fitted = BlockKitRenderer.Fit("a" + string.Concat(Enumerable.Repeat("\U0001F44D", 10)), 5);

        Assert.Equal("a\U0001F44D\u2026", fitted);
    }

    [Fact]
    public void Cuts_the_header_to_one_hundred_and_fifty_characters()
    {
        var reply = Reply([F()]) with { Headline = new string('h', 400) };

        var header = (string?)Blocks(BlockKitRenderer.Render(reply))[0]!["text"]!["text"];

        Assert.Equal(150, header!.Length);
    }

    [Fact]
    public void Keeps_button_labels_within_seventy_five_characters_and_values_within_two_thousand()
    {
        var buttons = Buttons(BlockKitRenderer.Render(Reply([F(rule: new string('r', 2500))])));

        Assert.All(buttons, b => Assert.True(((string?)b!["text"]!["text"])!.Length <= 75));
        Assert.All(buttons, b => Assert.Equal(2000, ((string?)b!["value"])!.Length));
    }

    [Fact]
    public void Keeps_to_fifty_blocks_and_never_drops_the_closing_or_the_buttons()
    {
        var points = Enumerable.Range(0, 30).Select(i => F(rule: $"rule.{i}")).ToList();

        var blocks = Blocks(BlockKitRenderer.Render(Reply(points)));

        Assert.Equal(50, blocks.Count);
        Assert.Equal("actions", (string?)blocks[^1]!["type"]);
        Assert.Equal("Send me your next draft and I'll take another look.", (string?)blocks[^2]!["elements"]![0]!["text"]);
    }

    [Fact]
    public void Gives_a_plain_text_fallback_for_notifications()
    {
        var message = BlockKitRenderer.Render(Reply([F()]));

        Assert.Equal("Worth another look before you ask. This question may sound like you are mapping the route to an order.", (string?)message["text"]);
    }

    [Fact]
    public void Keeps_the_fallback_text_short_and_escaped()
    {
        var text = BlockKitRenderer.FallbackText(Reply([F(message: "<@U1> " + new string('m', 1000))]));

        Assert.True(text.Length <= 300);
        Assert.Contains("&lt;@U1&gt;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Renders_a_real_coaching_reply_as_valid_block_kit_json()
    {
        var reply = new Coach(RulePackLoader.Load()).Review(Draft);

        var json = BlockKitRenderer.Render(reply).ToJsonString();
        using var parsed = JsonDocument.Parse(json);

        var blocks = parsed.RootElement.GetProperty("blocks");
        Assert.InRange(blocks.GetArrayLength(), 3, 50);
        Assert.Equal(reply.Points[0].Rule, blocks[blocks.GetArrayLength() - 1].GetProperty("elements")[0].GetProperty("value").GetString());
        Assert.False(string.IsNullOrWhiteSpace(parsed.RootElement.GetProperty("text").GetString()));
    }
}
