namespace CoachBot.Coaching.Messages;

/// <summary>
/// The buttons on every coaching reply, the same in every channel: Slack sends the id back as
/// <c>action_id</c>, Teams as the <c>Action.Execute</c> verb. Their values carry a rule id, never text.
/// </summary>
public static class CoachingActions
{
    public const string Another = "coach_another";
    public const string Why = "coach_why";
    public const string Helpful = "coach_helpful";
    public const string NotHelpful = "coach_not_helpful";

    public const string AnotherLabel = "Another suggestion";
    public const string WhyLabel = "Why does this matter?";
    public const string HelpfulLabel = "Helpful";
    public const string NotHelpfulLabel = "Not helpful";
}
