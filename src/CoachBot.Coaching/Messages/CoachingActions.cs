namespace CoachBot.Coaching.Messages;

/// <summary>
/// The buttons on every coaching reply, the same in every channel: Slack sends the id back as
/// <c>action_id</c>, Teams as the <c>Action.Execute</c> verb. Their data carries rule ids, the card's
/// state and the names the rewrite shows, never the draft.
/// </summary>
public static class CoachingActions
{
    public const string Another = "coach_another";
    public const string Why = "coach_why";
    public const string More = "coach_more";
    public const string Helpful = "coach_helpful";
    public const string NotHelpful = "coach_not_helpful";

    /// <summary>The optional follow-up to "Not helpful"; the reason travels as <c>reason</c> (see <see cref="FeedbackReasons"/>).</summary>
    public const string Reason = "coach_reason";

    /// <summary>Brings the two feedback buttons back after a vote.</summary>
    public const string ChangeFeedback = "coach_change_feedback";

    public const string AnotherLabel = "Another suggestion";
    public const string WhyLabel = "Why does this matter?";
    public const string HelpfulLabel = "Helpful";
    public const string NotHelpfulLabel = "Not helpful";
    public const string ChangeLabel = "Change";

    /// <summary>"1 more thing", "2 more things".</summary>
    public static string MoreLabel(int count) => count == 1 ? "1 more thing" : $"{count} more things";
}

/// <summary>
/// Why a rep found advice not helpful: one optional tap after "Not helpful", stored as a count per rule (these
/// codes), never with any text.
/// </summary>
public static class FeedbackReasons
{
    public const string WrongCall = "wrong_call";
    public const string Rewrite = "rewrite";
    public const string Tone = "tone";

    public static IReadOnlyList<(string Code, string Label)> All { get; } =
    [
        (WrongCall, "Wrong call"),
        (Rewrite, "Rewrite not useful"),
        (Tone, "Tone"),
    ];

    public static bool IsKnown(string code) => All.Any(r => r.Code == code);

    public static string LabelOf(string code) => All.FirstOrDefault(r => r.Code == code).Label ?? code;
}
