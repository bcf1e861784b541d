namespace CoachBot.Coaching.Nudges;

/// <summary>Which days a channel's nudge goes out, in the channel's own time zone.</summary>
public enum NudgeDays
{
    Weekdays,
    Daily,
}
