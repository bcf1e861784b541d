using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Commands;
using CoachBot.Coaching.Nudges;
using static CoachBot.Slack.BlockKitRenderer;

namespace CoachBot.Slack;

/// <summary>
/// Block Kit for everything that is not a coaching reply: help, the App Home tab, the answers to
/// the buttons and short notes. All of it is built from channel-neutral content so Teams says the same.
/// </summary>
public static class BlockKitHelp
{
    /// <summary>The help message, for <c>/coach help</c>, an empty <c>/coach</c> or "help" in a DM.</summary>
    public static JsonObject Help(string commandPrefix)
    {
        ArgumentNullException.ThrowIfNull(commandPrefix);
        return new JsonObject
        {
            ["text"] = HelpContent.Title,
            ["blocks"] = new JsonArray([.. HelpBlocks(commandPrefix)]),
        };
    }

    /// <summary>The App Home tab (<c>views.publish</c> body's <c>view</c>): what the bot does, how to use it, three examples.</summary>
    public static JsonObject HomeView() => new()
    {
        ["type"] = "home",
        ["blocks"] = new JsonArray([.. HelpBlocks("/coach ")]),
    };

    /// <summary>A plain message: a command's answer or an error that says what to try.</summary>
    public static JsonObject Note(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new JsonObject
        {
            ["text"] = Fit(text, MaxSectionText),
            ["blocks"] = new JsonArray(Section(text)),
        };
    }

    /// <summary>
    /// The daily nudge: the tip, its practice prompt and source, and Helpful / Not helpful (valued
    /// <c>nudge:&lt;id&gt;</c>, so feedback on tips and on rules never mix).
    /// </summary>
    /// <param name="question">The question of the day, when the channel asked for one; replies in the thread are coached.</param>
    /// <param name="helpful">The rep's vote once given: the buttons become a quiet line and the tip stays.</param>
    public static JsonObject Nudge(Nudge nudge, string? question = null, bool? helpful = null)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        var blocks = new JsonArray(
            new JsonObject { ["type"] = "header", ["text"] = PlainText(Fit("Today's coaching tip: " + nudge.Title, MaxHeaderText)) },
            Section(Escape(nudge.Tip)),
            Section("*Try it today:* " + Escape(nudge.Practice)));
        if (question is not null)
        {
            blocks.Add(Section("*Question of the day:* " + Escape(question) + "\nReply in this thread, mentioning @CoachBot, with your version and I'll coach it."));
        }

        blocks.Add(Context(SourceLine(nudge.Source)));
        if (helpful is { } vote)
        {
            blocks.Add(Context(vote ? "Marked helpful. Thanks!" : "Marked not helpful. Thanks, we'll rework it."));
        }
        else
        {
            // Which question of the day rode along, so the message drawn after a vote still shows it.
            var index = question is null ? -1 : QuestionOfTheDay.Prompts.ToList().IndexOf(question);
            var value = index < 0
                ? NudgeFeedback.Prefix + nudge.Id
                : $"rule={Uri.EscapeDataString(NudgeFeedback.Prefix + nudge.Id)}&q={index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = FeedbackBlockId,
                ["elements"] = new JsonArray(
                    NudgeButton(Coaching.Messages.CoachingActions.Helpful, Coaching.Messages.CoachingActions.HelpfulLabel, value),
                    NudgeButton(Coaching.Messages.CoachingActions.NotHelpful, Coaching.Messages.CoachingActions.NotHelpfulLabel, value)),
            });
        }
        return new JsonObject
        {
            ["text"] = Fit($"Today's coaching tip: {Escape(nudge.Title)}. {Escape(nudge.Tip)}", MaxFallbackText),
            ["blocks"] = blocks,
        };
    }

    private static JsonObject NudgeButton(string actionId, string label, string value) => new()
    {
        ["type"] = "button",
        ["action_id"] = actionId,
        ["text"] = PlainText(label),
        ["value"] = Fit(value, MaxButtonValue),
    };

    private static IEnumerable<JsonObject> HelpBlocks(string prefix)
    {
        yield return new JsonObject { ["type"] = "header", ["text"] = PlainText(Fit(HelpContent.Title, MaxHeaderText)) };
        yield return Section(Escape(HelpContent.Intro));
        var examples = new StringBuilder("*Try one of these:*");
        foreach (var example in HelpContent.Examples)
        {
            examples.Append("\n• `").Append(Escape(prefix)).Append(Escape(example)).Append('`');
        }

        yield return Section(examples.ToString());
        var commands = new StringBuilder("*Commands:*");
        foreach (var command in HelpContent.Commands)
        {
            commands.Append("\n• `").Append(Escape(prefix + command.Usage)).Append("`: ").Append(Escape(command.Description));
        }

        yield return Section(commands.ToString());
        yield return Context(Escape(HelpContent.Privacy));
    }
}
