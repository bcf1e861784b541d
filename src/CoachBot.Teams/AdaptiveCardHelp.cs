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
            actions: null,
            HelpContent.Title + "\n" + HelpContent.Intro);
    }

    public static JsonObject NoteCard(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Card(null, [Text(text)], actions: null);
    }

    /// <summary>The daily nudge: the tip, its practice prompt and source, with Helpful / Not helpful (rule <c>nudge:&lt;id&gt;</c>).</summary>
    /// <param name="helpful">The rep's vote once given: the buttons become a quiet line, and the tip stays.</param>
    public static JsonObject NudgeCard(Nudge nudge, string? question = null, bool? helpful = null)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        List<JsonNode> body = [Text(nudge.Tip), Label("Try it today"), Text(nudge.Practice)];
        if (question is not null)
        {
            body.AddRange([Label("Question of the day"), Text(question + " Reply to this post, mentioning @CoachBot, with your version and I'll coach it.")]);
        }

        body.Add(Text(SourceLine(nudge.Source), subtle: true));
        var rule = NudgeFeedback.Prefix + nudge.Id;
        int? questionIndex = question is null ? null : QuestionOfTheDay.Prompts.ToList().IndexOf(question);
        if (helpful is { } vote)
        {
            body.Add(Text(vote ? "Marked helpful. Thanks!" : "Marked not helpful. Thanks, we'll rework it.", subtle: true));
        }

        return Card(
            "Today's coaching tip: " + nudge.Title,
            [.. body],
            helpful is null
                ? [NudgeButton(CoachingActions.HelpfulLabel, CoachingActions.Helpful, rule, questionIndex), NudgeButton(CoachingActions.NotHelpfulLabel, CoachingActions.NotHelpful, rule, questionIndex)]
                : null,
            $"Today's coaching tip: {nudge.Title}\n{nudge.Tip}\nTry it today: {nudge.Practice}");
    }

    private static JsonObject NudgeButton(string title, string verb, string rule, int? question)
    {
        var button = Button(title, verb, rule, 0);
        if (question is >= 0)
        {
            // Which question of the day rode along, so the card drawn after a vote still shows it.
            var q = question.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            button["data"]!["q"] = q;
            button["fallback"]!["data"]!["q"] = q;
        }

        return button;
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

    private static JsonObject Card(string? title, JsonNode[] body, JsonArray? actions, string? fallbackText = null)
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
            // For clients that cannot draw cards: the activity itself carries no text, only a summary.
            ["fallbackText"] = fallbackText ?? title?.TrimEnd() ?? Plain(body),
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = items,
        };
        if (actions is not null)
        {
            card["actions"] = actions;
        }

        return card;
    }

    private static string Plain(JsonNode[] body) =>
        string.Join('\n', body.OfType<JsonObject>().Select(b => b["text"]?.GetValue<string>()).OfType<string>());
}
