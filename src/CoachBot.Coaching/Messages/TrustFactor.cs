namespace CoachBot.Coaching.Messages;

/// <summary>The terms of the trust equation: Trust = (Credibility + Reliability + Intimacy) / Self-orientation.</summary>
public enum TrustFactor
{
    Credibility,
    Reliability,
    Intimacy,
    SelfOrientation,
}
