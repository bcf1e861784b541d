using CoachBot.Coaching.Nudges;

namespace CoachBot.Coaching.Commands;

/// <summary>
/// What a rep asked for, in words both channels share: Slack's <c>/coach …</c> and a DM or mention,
/// Teams' 1:1 message or mention. A closed set: the nested records are the only commands.
/// </summary>
public abstract record BotCommand
{
    private BotCommand()
    {
    }

    /// <summary><c>help</c>, an empty message, or an unknown <c>nudge</c> word.</summary>
    public sealed record Help : BotCommand;

    /// <summary>Anything that is not a command is coached; <c>check &lt;text&gt;</c> says so explicitly.</summary>
    public sealed record Check(string Text) : BotCommand;

    /// <summary>
    /// <c>nudge on [HH:MM] [time zone] [weekdays|daily] [with question]</c>. Null parts were not given:
    /// the handler fills in 09:00, weekdays and the asker's or UTC time zone.
    /// </summary>
    public sealed record NudgeOn(TimeOnly? Time, TimeZoneInfo? TimeZone, NudgeDays? Days, bool WithQuestion) : BotCommand;

    public sealed record NudgeOff : BotCommand;

    public sealed record NudgeStatus : BotCommand;

    public sealed record NudgeNow : BotCommand;

    public sealed record NudgeSkip : BotCommand;

    /// <summary>A command word with a value that could not be read; <see cref="Reply"/> says what and shows an example.</summary>
    public sealed record Invalid(string Reply) : BotCommand;
}
