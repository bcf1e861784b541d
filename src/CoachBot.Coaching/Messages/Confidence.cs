namespace CoachBot.Coaching.Messages;

/// <summary>How sure a rule is that it read the text right; separate from how much it matters.</summary>
public enum Confidence
{
    Low,
    Medium,
    High,
}
