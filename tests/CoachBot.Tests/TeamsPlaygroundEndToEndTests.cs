using System.Text.Json.Nodes;
using CoachBot.Coaching.Commands;

namespace CoachBot.Tests;

/// <summary>
/// The real host driven by a real Teams client: Microsoft 365 Agents Playground, run from tests/realclients with the
/// bot's auth off (no app id, loopback clients only). The playground sends the activities Teams sends and is also the
/// Bot Connector the bot replies to, so every assertion is on what a user would see.
/// </summary>
public sealed class TeamsPlaygroundEndToEndTests
{
    private const string Draft = "What does your purchasing process look like?";
    private const string SelfServingRule = "self-serving.buying-process";

    // The draft also touches a second rule, so the card offers "1 more thing".
    private static readonly string[] CoachingVerbs = ["coach_another", "coach_why", "coach_more", "coach_helpful", "coach_not_helpful"];

    [Fact]
    public async Task Installing_in_the_personal_chat_posts_the_welcome_card_exactly_once()
    {
        await using var rig = await Rig.StartAsync();
        var chat = rig.Playground.PersonalChatId;

        await rig.Playground.InstallAsync(chat);
        var welcome = await rig.Playground.WaitForCardAsync(chat, 0, IsWelcome);

        // Both halves of the install (installationUpdate and conversationUpdate) and a second install are worked off...
        // (the playground forwards an install to the bot after answering, so wait for all four items to be done).
        await rig.Playground.InstallAsync(chat);
        await rig.Host.WaitForAsync("SELECT COUNT(*) FROM inbox WHERE Channel = 'teams' AND State = 'Done'", 4, TimeSpan.FromSeconds(30));
        await rig.Host.WaitInboxDrainedAsync(TimeSpan.FromSeconds(30));

        // ...and still only one welcome reached the chat.
        var welcomes = rig.Playground.BotMessages(chat)
            .SelectMany(m => m["attachments"]?.AsArray() ?? [])
            .Count(a => a?["content"] is JsonObject card && IsWelcome(card));
        Assert.True(welcomes == 1, $"Expected one welcome card, saw {welcomes}.\n{rig.Host.Log}");
        Assert.Equal(HelpContent.Title, FirstText(welcome)?.TrimEnd());
    }

    [Fact]
    public async Task A_self_serving_question_in_the_personal_chat_gets_one_message_carrying_the_coaching_card()
    {
        await using var rig = await Rig.StartAsync();
        var chat = rig.Playground.PersonalChatId;

        var mark = rig.Playground.Mark();
        await rig.Playground.SendAsync(chat, Draft);

        AssertCoachingCard(await rig.Playground.WaitForCardAsync(chat, mark));
        await AssertOneMessageAsync(rig, chat, mark);
    }

    [Fact]
    public async Task Help_arrives_as_one_message_carrying_the_card()
    {
        await using var rig = await Rig.StartAsync();
        var chat = rig.Playground.PersonalChatId;
        await rig.Playground.InstallAsync(chat);
        await rig.Playground.WaitForCardAsync(chat, 0, IsWelcome);

        var mark = rig.Playground.Mark();
        await rig.Playground.SendAsync(chat, "help");
        await rig.Playground.WaitForCardAsync(chat, mark, c => !IsWelcome(c));
        await AssertOneMessageAsync(rig, chat, mark);
    }

    [Fact]
    public async Task A_mention_in_a_team_channel_is_coached_in_the_thread()
    {
        await using var rig = await Rig.StartAsync();
        var channel = rig.Playground.TeamChannelId;

        var mark = rig.Playground.Mark();
        await rig.Playground.SendAsync(channel, Draft, mention: true);

        AssertCoachingCard(await rig.Playground.WaitForCardAsync(channel, mark));
    }

    [Fact]
    public async Task A_mention_in_a_group_chat_is_coached()
    {
        await using var rig = await Rig.StartAsync();
        var chat = rig.Playground.GroupChatId;

        var mark = rig.Playground.Mark();
        await rig.Playground.SendAsync(chat, Draft, mention: true);

        AssertCoachingCard(await rig.Playground.WaitForCardAsync(chat, mark));
    }

    [Fact]
    public async Task Help_answers_with_the_help_card()
    {
        await using var rig = await Rig.StartAsync();
        var chat = rig.Playground.PersonalChatId;

        var mark = rig.Playground.Mark();
        await rig.Playground.SendAsync(chat, "help");

        var card = await rig.Playground.WaitForCardAsync(chat, mark);
        var json = AllText(card);
        Assert.Equal(HelpContent.Title, FirstText(card));
        Assert.Contains(HelpContent.Examples[0], json, StringComparison.Ordinal);
        Assert.DoesNotContain("Hi! I'm CoachBot", json, StringComparison.Ordinal);
        Assert.Null(card["actions"]);
    }

    [Fact]
    public async Task Pressing_why_adds_the_reasoning_under_the_rewrite_with_the_buttons_kept()
    {
        await using var rig = await Rig.StartAsync();
        var chat = rig.Playground.PersonalChatId;
        var mark = rig.Playground.Mark();
        await rig.Playground.SendAsync(chat, Draft);
        var coaching = await rig.Playground.WaitForCardAsync(chat, mark);
        var why = Button(coaching, "coach_why");

        var response = await rig.Playground.PressAsync(chat, CardMessageId(rig.Playground, chat, mark), why);

        Assert.Equal("application/vnd.microsoft.card.adaptive", response["type"]?.GetValue<string>());
        var card = Assert.IsType<JsonObject>(response["value"]);
        Assert.Equal("AdaptiveCard", card["type"]?.GetValue<string>());
        Assert.Equal(FirstText(coaching), FirstText(card));
        Assert.Contains(Rewrite(coaching), AllText(card), StringComparison.Ordinal);
        Assert.Contains("**Why it matters:**", AllText(card), StringComparison.Ordinal);
        Assert.Contains("self-orientation", AllText(card), StringComparison.Ordinal);
        Assert.Equal(CoachingVerbs.Where(v => v != "coach_why"), Verbs(card));
        Assert.All(card["actions"]!.AsArray(), a => Assert.Equal(SelfServingRule, a!["data"]!["rule"]!.GetValue<string>()));

        // The playground's own log saw the bot answer the invoke with 200.
        var log = await rig.Playground.ReadLogAsync(entries => entries.Any(IsAnsweredInvoke), TimeSpan.FromSeconds(10));
        Assert.Contains(log, IsAnsweredInvoke);
    }

    [Fact]
    public async Task Pressing_helpful_keeps_the_card_with_a_quiet_line_and_records_one_vote()
    {
        await using var rig = await Rig.StartAsync();
        var chat = rig.Playground.PersonalChatId;
        var mark = rig.Playground.Mark();
        await rig.Playground.SendAsync(chat, Draft);
        var coaching = await rig.Playground.WaitForCardAsync(chat, mark);

        var response = await rig.Playground.PressAsync(chat, CardMessageId(rig.Playground, chat, mark), Button(coaching, "coach_helpful"));

        var card = Assert.IsType<JsonObject>(response["value"]);
        Assert.Contains(Rewrite(coaching), AllText(card), StringComparison.Ordinal);
        Assert.Contains("Marked helpful", AllText(card), StringComparison.Ordinal);
        Assert.DoesNotContain("coach_helpful", Verbs(card));
        Assert.Equal(1, await rig.Host.ScalarAsync($"SELECT COUNT(*) FROM feedback_votes WHERE Channel = 'teams' AND RuleId = '{SelfServingRule}' AND Helpful = 1"));
    }

    private static void AssertCoachingCard(JsonObject card)
    {
        Assert.Equal("AdaptiveCard", card["type"]?.GetValue<string>());
        Assert.Equal("Worth another look before you ask.", FirstText(card));
        var json = AllText(card);

        // The self-serving point in plain words, a rewrite and one question; the reasons wait for "why".
        Assert.Contains("mapping the route to an order", json, StringComparison.Ordinal);
        Assert.Contains("**Try (1 of 2):**", json, StringComparison.Ordinal);
        Assert.DoesNotContain("self-orientation", json, StringComparison.Ordinal);
        Assert.Equal(CoachingVerbs, Verbs(card));
        Assert.All(card["actions"]!.AsArray(), a =>
        {
            Assert.Equal("Action.Execute", a!["type"]!.GetValue<string>());
            Assert.Equal(SelfServingRule, a["data"]!["rule"]!.GetValue<string>());
        });
    }

    /// <summary>One bot message since <paramref name="mark"/>, carrying the card, with no duplicated text beside it.</summary>
    private static async Task AssertOneMessageAsync(Rig rig, string chat, int mark)
    {
        await rig.Host.WaitInboxDrainedAsync(TimeSpan.FromSeconds(30));
        var message = Assert.Single(rig.Playground.BotMessages(chat, mark));
        Assert.Single(message["attachments"]!.AsArray());
        Assert.True(string.IsNullOrEmpty(message["text"]?.GetValue<string>()), message.ToJsonString());
    }

    private static string Rewrite(JsonObject card) =>
        card["body"]!.AsArray().Single(b => b?["id"]?.GetValue<string>() == "rewrite")!["text"]!.GetValue<string>();

    private static bool IsWelcome(JsonObject card) => AllText(card).Contains("Hi! I'm CoachBot", StringComparison.Ordinal);

    /// <summary>Every TextBlock's text, unescaped (the JSON text escapes apostrophes), one per line.</summary>
    private static string AllText(JsonNode? node) => node switch
    {
        JsonObject o => string.Join('\n', o.Select(p => p.Key == "text" && p.Value is JsonValue v && v.TryGetValue<string>(out var t) ? t : AllText(p.Value))),
        JsonArray a => string.Join('\n', a.Select(AllText)),
        _ => "",
    };

    private static bool IsAnsweredInvoke(JsonObject log) =>
        log["activityName"]?.GetValue<string>() == "invoke" && log["response"]?["statusCode"]?.GetValue<int>() == 200;

    private static string? FirstText(JsonObject card) => card["body"]?[0]?["text"]?.GetValue<string>();

    private static string[] Verbs(JsonObject card) =>
        [.. (card["actions"]?.AsArray() ?? []).Select(a => a?["verb"]?.GetValue<string>() ?? "")];

    private static JsonObject Button(JsonObject card, string verb) =>
        card["actions"]!.AsArray().OfType<JsonObject>().Single(a => a["verb"]?.GetValue<string>() == verb);

    /// <summary>The id the playground gave the message that carries the card.</summary>
    private static string CardMessageId(PlaygroundClient playground, string conversationId, int mark) =>
        playground.BotMessages(conversationId, mark).Last(m => m["attachments"]?.AsArray().Count > 0)["messageId"]!.GetValue<string>();

    /// <summary>One host and one playground pointed at it; both processes are killed on dispose, whatever happened.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private Rig(TeamsBotHost host, PlaygroundClient playground)
        {
            Host = host;
            Playground = playground;
        }

        public TeamsBotHost Host { get; }

        public PlaygroundClient Playground { get; }

        public static async Task<Rig> StartAsync()
        {
            var host = await TeamsBotHost.StartUnauthenticatedAsync();
            try
            {
                return new Rig(host, await PlaygroundClient.StartAsync(host.MessagesUrl));
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Playground.DisposeAsync();
            }
            finally
            {
                await Host.DisposeAsync();
            }
        }
    }
}
