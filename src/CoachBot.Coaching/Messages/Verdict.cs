namespace CoachBot.Coaching.Messages;

/// <summary><see cref="Revise"/> when any finding is a nudge or a concern; praise and info alone keep it <see cref="Ok"/>.</summary>
public enum Verdict
{
    Ok,
    Revise,
}
