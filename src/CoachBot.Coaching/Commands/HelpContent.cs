namespace CoachBot.Coaching.Commands;

/// <summary>One command as help, the App Home and the Teams manifest list it.</summary>
public sealed record CommandHelp(string Usage, string Description);

/// <summary>
/// What the bot says about itself: the help reply, the Slack App Home and the Teams welcome all
/// render this, so the channels can't drift apart.
/// </summary>
public static class HelpContent
{
    public const string Title = "CoachBot: a second opinion before you ask";

    public const string Intro =
        "Send me a question you plan to ask a customer, or a note about a call you're about to make. "
        + "I'll say what I noticed, why it matters to the customer, one question to think about, and a version to try. "
        + "Good questions get praise too.";

    public const string Privacy = "I don't keep what you send: it is deleted once I've replied.";

    public static readonly IReadOnlyList<string> Examples =
    [
        "What does your purchasing process look like?",
        "Calling Acme tomorrow to check in.",
        "What would happen if you did nothing about this for another year?",
    ];

    public static readonly IReadOnlyList<CommandHelp> Commands =
    [
        new("help", "What CoachBot does, with examples."),
        new("check <question or call note>", "Coach a draft question or call note (any other message is coached too)."),
        new("nudge on [HH:MM] [time zone] [weekdays|daily]", "Post a coaching tip in this channel every morning (default 09:00, weekdays)."),
        new("nudge off", "Stop this channel's daily tip."),
        new("nudge status", "When this channel's next tip goes out."),
        new("nudge now", "Post today's tip now, to try it."),
        new("nudge skip", "Skip the next tip."),
    ];

    /// <summary>The command words, as the Teams manifest's command list must spell them.</summary>
    public static IEnumerable<string> CommandWords => Commands.Select(c => c.Usage.Split(" [", 2)[0].Split(" <", 2)[0]);
}
