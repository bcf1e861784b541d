using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Commands;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Nudges;
using static CoachBot.Teams.AdaptiveCardRenderer;

namespace CoachBot.Teams;

/// <summary>
/// Adaptive Cards for everything that is not a coaching reply: help and welcome, short notes, and the cards
/// that replace a coaching card when one of its buttons is pressed. Built from the same channel-neutral
/// content as Slack's Block Kit, so the two channels say the same.
/// </summary>
public static class AdaptiveCardHelp
{
    /// <summary>Help, and the welcome posted once on install.</summary>
    public static JsonObject HelpCard(bool welcome = false)
    {
        var examples = new StringBuilder();
        foreach (var example in HelpContent.Examples)
        {
            examples.Append("- ").AppendLine(example);
        }

        var commands = new StringBuilder();
        foreach (var command in HelpContent.Commands)
        {
            commands.Append("- **").Append(command.Usage.Replace("<", "&lt;", StringComparison.Ordinal)).Append("**: ").AppendLine(command.Description);
        }

        return Card(
            HelpContent.Title + (welcome ? "\n" : ""),
            [
                Text(welcome ? "Hi! I'm CoachBot. " + HelpContent.Intro : HelpContent.Intro),
                Label("Try one of these"), Text(examples.ToString().TrimEnd()),
                Label("Commands (in a channel, mention me first)"), Text(commands.ToString().TrimEnd()),
                Text(HelpContent.Privacy, subtle: true),
            ],
            actions: null);
    }

    public static JsonObject NoteCard(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Card(null, [Text(text)], actions: null);
    }

    /// <summary>"Another suggestion": the rule's point with its next rewrite, and the buttons to keep going.</summary>
    public static JsonObject AnotherCard(AlternativeSuggestion another)
    {
        ArgumentNullException.ThrowIfNull(another);
        return Card(
            $"Another way to put it ({another.Index + 1} of {another.Count})",
            [Label("What I noticed"), Text(another.Message), Label("Try"), Text(Quoted(another.Text))],
            Buttons(another.Rule, another.Index));
    }

    /// <summary>"Why does this matter?": the rule's reasoning and its source.</summary>
    public static JsonObject WhyCard(RuleExplanation why, int suggestion)
    {
        ArgumentNullException.ThrowIfNull(why);
        return Card(
            "Why it matters",
            [Text(why.Why), Label("Ask yourself"), Text(why.Ask), Text($"Trust equation: {why.TrustFactor} · Source: {why.Source}", subtle: true)],
            Buttons(why.Rule, suggestion));
    }

    /// <summary>The daily nudge: the tip, its practice prompt and source, with Helpful / Not helpful (rule <c>nudge:&lt;id&gt;</c>).</summary>
    public static JsonObject NudgeCard(Nudge nudge, string? question = null)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        List<JsonNode> body = [Text(nudge.Tip), Label("Try it today"), Text(nudge.Practice)];
        if (question is not null)
        {
            body.AddRange([Label("Question of the day"), Text(question + " Reply to this post, mentioning @CoachBot, with your version and I'll coach it.")]);
        }

        body.Add(Text("Source: " + nudge.Source, subtle: true));
        return Card(
            "Today's coaching tip: " + nudge.Title,
            [.. body],
            [
                Button(CoachingActions.HelpfulLabel, CoachingActions.Helpful, NudgeFeedback.Prefix + nudge.Id, 0),
                Button(CoachingActions.NotHelpfulLabel, CoachingActions.NotHelpful, NudgeFeedback.Prefix + nudge.Id, 0),
            ]);
    }

    /// <summary>The invoke-response body that swaps the pressed card for <paramref name="card"/>.</summary>
    public static JsonObject InvokeResponse(JsonObject card) => new()
    {
        ["statusCode"] = 200,
        ["type"] = CardContentType,
        ["value"] = card,
    };

    /// <summary>The message attachment for <paramref name="card"/>, for <see cref="TeamsActivities.Card"/>.</summary>
    public static JsonObject Attachment(JsonObject card) => new() { ["contentType"] = CardContentType, ["content"] = card };

    private static JsonArray Buttons(string rule, int suggestion) =>
    [
        Button(CoachingActions.AnotherLabel, CoachingActions.Another, rule, suggestion + 1),
        Button(CoachingActions.WhyLabel, CoachingActions.Why, rule, suggestion),
        Button(CoachingActions.HelpfulLabel, CoachingActions.Helpful, rule, suggestion),
        Button(CoachingActions.NotHelpfulLabel, CoachingActions.NotHelpful, rule, suggestion),
    ];

    private static JsonObject Card(string? title, JsonNode[] body, JsonArray? actions)
    {
        var items = new JsonArray();
        if (title is not null)
        {
            items.Add(Text(title.TrimEnd(), weight: "Bolder", size: "Medium"));
        }

        foreach (var node in body)
        {
            items.Add(node);
        }

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = items,
        };
        if (actions is not null)
        {
            card["actions"] = actions;
        }

        return card;
    }
}
