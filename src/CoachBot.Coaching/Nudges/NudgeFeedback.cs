namespace CoachBot.Coaching.Nudges;

/// <summary>
/// Feedback buttons on a nudge carry <c>nudge:&lt;id&gt;</c> where a coaching reply's carry a rule id, so one
/// feedback path stores both and the counts for tips and rules never mix.
/// </summary>
public static class NudgeFeedback
{
    public const string Prefix = "nudge:";
}
