namespace CoachBot.Coaching.Messages;

/// <summary>How much a finding matters. Declared in rising order so comparisons rank them.</summary>
public enum Level
{
    Praise,
    Info,
    Nudge,
    Concern,
}
