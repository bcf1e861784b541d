namespace CoachBot.Coaching.Notes;

/// <summary>The strongest kind of goal a call note states (Rackham: advances move the sale, continuations don't).</summary>
public enum GoalKind
{
    None,
    Stated,
    Continuation,
    Information,
    Advance,
}
