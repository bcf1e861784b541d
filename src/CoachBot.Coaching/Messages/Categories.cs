namespace CoachBot.Coaching.Messages;

/// <summary>
/// The fixed list of finding categories. A rule must use one of these; consumers of
/// <c>check --format jsonl</c> can rely on the list, so entries are only ever added.
/// </summary>
public static class Categories
{
    public const string SelfServing = "self-serving";
    public const string Homework = "homework";
    public const string CheckIn = "check-in";
    public const string Pressure = "pressure";
    public const string Pitch = "pitch";
    public const string Leading = "leading";
    public const string ClosedQuestion = "closed-question";
    public const string StackedQuestions = "stacked-questions";
    public const string MissingGoal = "missing-goal";
    public const string ContinuationGoal = "continuation-goal";
    public const string NoNextStep = "no-next-step";
    public const string MessageAntiPattern = "message-anti-pattern";
    public const string GoodQuestion = "good-question";
    public const string GoodGoal = "good-goal";
    public const string OrgRejected = "org-rejected";

    public static IReadOnlyList<string> All { get; } =
    [
        SelfServing, Homework, CheckIn, Pressure, Pitch, Leading, ClosedQuestion, StackedQuestions,
        MissingGoal, ContinuationGoal, NoNextStep, MessageAntiPattern, GoodQuestion, GoodGoal, OrgRejected,
    ];

    public static bool IsKnown(string category) => All.Contains(category, StringComparer.Ordinal);
}
